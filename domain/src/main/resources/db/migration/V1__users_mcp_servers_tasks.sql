CREATE TABLE users (
    id            uuid PRIMARY KEY,
    username      varchar(64)  NOT NULL UNIQUE,
    password_hash varchar(200) NOT NULL,
    role          varchar(16)  NOT NULL CHECK (role IN ('admin', 'operator', 'user', 'viewer')),
    active        boolean      NOT NULL DEFAULT true,
    full_name     varchar(200),
    email         varchar(320),
    timezone      varchar(64),
    created_at    timestamptz  NOT NULL,
    updated_at    timestamptz  NOT NULL
);

CREATE TABLE mcp_servers (
    name       varchar(64) PRIMARY KEY,
    transport  varchar(20) CHECK (transport IN ('stdio', 'streamable-http', 'sse')),
    command    text,
    args       jsonb       NOT NULL DEFAULT '[]',
    env        jsonb       NOT NULL DEFAULT '{}',
    url        text,
    headers    jsonb       NOT NULL DEFAULT '{}',
    created_by uuid REFERENCES users (id),
    created_at timestamptz NOT NULL,
    CHECK (command IS NOT NULL OR url IS NOT NULL)
);

CREATE TABLE tasks (
    id              uuid PRIMARY KEY,
    owner_id        uuid         NOT NULL REFERENCES users (id),
    type            varchar(64)  NOT NULL,
    parameters      jsonb        NOT NULL,
    priority        varchar(16)  NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'critical')),
    timeout_seconds integer      NOT NULL CHECK (timeout_seconds > 0),
    status          varchar(16)  NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled')),
    workflow_id     varchar(128) NOT NULL UNIQUE,
    idempotency_key varchar(255),
    request_hash    varchar(64),
    result          jsonb,
    created_at      timestamptz  NOT NULL,
    started_at      timestamptz,
    finished_at     timestamptz,
    updated_at      timestamptz  NOT NULL
);

CREATE UNIQUE INDEX tasks_owner_idempotency_key ON tasks (owner_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX tasks_created ON tasks (created_at DESC, id DESC);
CREATE INDEX tasks_owner_created ON tasks (owner_id, created_at DESC, id DESC);
CREATE INDEX tasks_status_created ON tasks (status, created_at DESC, id DESC);

-- Every status change is announced on the channel task_events, whichever process made it,
-- so the API's event streams follow tasks that workers move.
CREATE FUNCTION notify_task_status() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('task_events',
        json_build_object('taskId', NEW.id, 'kind', 'status', 'status', NEW.status)::text);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER tasks_status_changed
    AFTER UPDATE OF status ON tasks
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION notify_task_status();
