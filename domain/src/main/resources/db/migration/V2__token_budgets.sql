-- Null means the user may spend without limit.
ALTER TABLE users ADD COLUMN daily_token_budget bigint CHECK (daily_token_budget > 0);

-- One row per model call; the primary key makes a retried recording count once.
CREATE TABLE token_usage (
    task_id           uuid         NOT NULL REFERENCES tasks (id),
    step              integer      NOT NULL,
    user_id           uuid         NOT NULL REFERENCES users (id),
    model             varchar(200),
    prompt_tokens     bigint       NOT NULL,
    completion_tokens bigint       NOT NULL,
    total_tokens      bigint       NOT NULL,
    recorded_at       timestamptz  NOT NULL,
    PRIMARY KEY (task_id, step)
);

CREATE INDEX token_usage_user_recorded ON token_usage (user_id, recorded_at);
