-- The agent registry: who runs a task, with its model, tools, limits and retries. Lists and the retry
-- policy are JSON; names and bounds are checked by the API before they get here.
CREATE TABLE agents (
    id                   uuid PRIMARY KEY,
    name                 varchar(64) NOT NULL UNIQUE,
    type                 varchar(8)  NOT NULL CHECK (type IN ('llm', 'tool')),
    capabilities         jsonb       NOT NULL CHECK (jsonb_typeof(capabilities) = 'array'),
    timeout_seconds      integer     NOT NULL CHECK (timeout_seconds > 0),
    max_concurrent_tasks integer     NOT NULL CHECK (max_concurrent_tasks > 0),
    retry_policy         jsonb       NOT NULL CHECK (jsonb_typeof(retry_policy) = 'object'),
    tools                jsonb       NOT NULL CHECK (jsonb_typeof(tools) = 'array'),
    approval_required    jsonb       NOT NULL CHECK (jsonb_typeof(approval_required) = 'array'),
    provider             varchar(16),
    deployment           varchar(128),
    system_prompt        text,
    max_steps            integer CHECK (max_steps > 0),
    max_tokens_per_task  bigint  CHECK (max_tokens_per_task > 0),
    active               boolean     NOT NULL,
    created_by           uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL
);

CREATE INDEX agents_newest_first ON agents (created_at DESC, id DESC);

-- The audit trail of every agent's lifecycle; kept after the agent is deleted, so no foreign key.
CREATE TABLE agent_events (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agent_id uuid        NOT NULL,
    type     varchar(16) NOT NULL CHECK (type IN ('created', 'updated', 'activated', 'deactivated', 'deleted')),
    actor    uuid,
    at       timestamptz NOT NULL
);

CREATE INDEX agent_events_by_agent ON agent_events (agent_id, id);
