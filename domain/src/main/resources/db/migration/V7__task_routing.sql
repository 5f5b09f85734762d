-- Tasks routed to an agent name it; no foreign key, since a finished task outlives its deleted agent.
ALTER TABLE tasks ADD COLUMN agent_id uuid;
ALTER TABLE tasks ADD COLUMN agent_name varchar(64);
CREATE INDEX tasks_agent_status ON tasks (agent_id, status) WHERE agent_id IS NOT NULL;
-- An agent's last 24 hours, without reading every task it ever ran.
CREATE INDEX tasks_agent_finished ON tasks (agent_id, finished_at) WHERE agent_id IS NOT NULL;

-- An agent is in error from the first failure of its own (a bad deployment, credential, server or tool)
-- until one of its tasks completes or it is changed.
ALTER TABLE agents ADD COLUMN error_type varchar(64);
ALTER TABLE agents ADD COLUMN error_since timestamptz;

ALTER TABLE agent_events DROP CONSTRAINT agent_events_type_check;
ALTER TABLE agent_events ADD CONSTRAINT agent_events_type_check CHECK (type IN ('created', 'updated', 'activated',
    'deactivated', 'deleted', 'error_entered', 'error_left'));
