-- Temporal payloads too large for workflow history, stored once by content: the history holds the id.
CREATE TABLE payloads (
    id           char(64)    PRIMARY KEY, -- SHA-256 of the serialized payload, hex
    data         bytea       NOT NULL,
    size_bytes   integer     NOT NULL,
    last_used_at timestamptz NOT NULL
);

CREATE INDEX payloads_last_used ON payloads (last_used_at);

-- Calls per LLM deployment, limited across all workers: the earliest time the next call may start
-- once the burst allowance is spent (the "theoretical arrival time" of GCRA).
CREATE TABLE llm_rate_limits (
    deployment   varchar(200) PRIMARY KEY,
    next_call_at timestamptz  NOT NULL
);
