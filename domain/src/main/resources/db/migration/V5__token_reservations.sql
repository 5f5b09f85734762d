-- What each user is charged per UTC day: tokens reserved by model calls in flight plus tokens spent.
-- A reservation changes its row in one conditional upsert, so parallel calls of one user queue on the
-- row's lock and can never pass the daily budget together. last_reserved is what the latest reservation
-- took (PostgreSQL 17's RETURNING cannot see the row as it was).
CREATE TABLE token_days (
    user_id       uuid   NOT NULL REFERENCES users (id),
    day           date   NOT NULL,
    charged       bigint NOT NULL,
    last_reserved bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, day)
);

INSERT INTO token_days (user_id, day, charged)
SELECT user_id, (recorded_at AT TIME ZONE 'UTC')::date, sum(total_tokens)
FROM token_usage GROUP BY 1, 2;

-- token_usage now holds one row per attempt of a model call: reserved before the call, settled with
-- the real usage after it, or lost when a later attempt started while it was still reserved (its
-- answer never came back: it stays charged at what it reserved). Attempt 0 is a call whose usage the
-- workflow recorded itself (workflows started before reservations).
ALTER TABLE token_usage
    ADD COLUMN attempt integer NOT NULL DEFAULT 0,
    ADD COLUMN day date,
    ADD COLUMN reserved_tokens bigint NOT NULL DEFAULT 0,
    ADD COLUMN state varchar(8) NOT NULL DEFAULT 'settled' CHECK (state IN ('reserved', 'settled', 'lost'));

UPDATE token_usage SET day = (recorded_at AT TIME ZONE 'UTC')::date;

ALTER TABLE token_usage
    ALTER COLUMN day SET NOT NULL,
    ALTER COLUMN attempt DROP DEFAULT,
    ALTER COLUMN state DROP DEFAULT,
    ADD COLUMN charged_tokens bigint GENERATED ALWAYS AS
        (CASE WHEN state = 'settled' THEN total_tokens ELSE reserved_tokens END) STORED,
    DROP CONSTRAINT token_usage_pkey,
    ADD PRIMARY KEY (task_id, step, attempt);
