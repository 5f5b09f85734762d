-- When the outcome that last decided an agent's health (a routed task's end, or an operator taking it out of error)
-- happened: an outcome recorded later but with an earlier end, such as a timed-out attempt's write landing once a
-- lock frees it, changes nothing.
ALTER TABLE agents ADD COLUMN health_at timestamptz;

-- The outcomes already recorded: an agent's error since its failure, and its last completion.
UPDATE agents a SET health_at = GREATEST(a.error_since,
        (SELECT max(t.finished_at) FROM tasks t WHERE t.agent_id = a.id AND t.status = 'completed'));
