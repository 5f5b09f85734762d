-- Every event of a task, numbered 1, 2, 3 ... within the task in commit order, so that a client can read on from
-- the last one it saw, from any API process. Notifications carry only the task id and the sequence number: a
-- listener reads the rows themselves, with the reader's access rules.

CREATE TABLE task_event_sequences (
    task_id  uuid   PRIMARY KEY REFERENCES tasks (id) ON DELETE CASCADE,
    last_seq bigint NOT NULL
);

CREATE TABLE task_events (
    task_id     uuid        NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    seq         bigint      NOT NULL,
    kind        text        NOT NULL CHECK (kind IN ('status', 'progress', 'text', 'attempt-abandoned')),
    status      text,
    message     text,
    progress    double precision,
    total       double precision,
    call_id     text,
    attempt     integer,
    step        text,
    text_offset integer,
    text        text,
    abandoned   boolean     NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (task_id, seq),
    CHECK (kind <> 'status' OR status IS NOT NULL),
    CHECK (kind <> 'text' OR (call_id IS NOT NULL AND attempt IS NOT NULL AND text_offset >= 0 AND text IS NOT NULL)),
    CHECK (kind <> 'attempt-abandoned' OR (call_id IS NOT NULL AND attempt IS NOT NULL))
);

-- A text delta is stored once per attempt and offset, an attempt is abandoned once.
CREATE UNIQUE INDEX task_events_text_delta ON task_events (task_id, call_id, attempt, text_offset)
    WHERE kind = 'text';
CREATE UNIQUE INDEX task_events_attempt_abandoned ON task_events (task_id, call_id, attempt)
    WHERE kind = 'attempt-abandoned';

-- Retention finds the tasks that finished before its cutoff.
CREATE INDEX tasks_finished ON tasks (finished_at) WHERE finished_at IS NOT NULL;

-- Appends one event and answers its sequence number. The row of task_event_sequences is locked until the caller
-- commits, so writers of one task take turns and sequence order is commit order: a reader that has seen seq N will
-- never later find a smaller one. A text delta or an abandoned marker that is already stored answers the stored
-- row's number and writes nothing. A delta of an attempt already abandoned is stored as abandoned.
CREATE FUNCTION append_task_event(
    p_task_id uuid, p_kind text, p_status text, p_message text, p_progress double precision,
    p_total double precision, p_call_id text, p_attempt integer, p_step text, p_text_offset integer, p_text text)
    RETURNS bigint AS $$
DECLARE
    stored bigint;
    next_seq bigint;
    is_abandoned boolean := false;
BEGIN
    INSERT INTO task_event_sequences (task_id, last_seq) VALUES (p_task_id, 0) ON CONFLICT (task_id) DO NOTHING;
    SELECT last_seq + 1 INTO next_seq FROM task_event_sequences WHERE task_id = p_task_id FOR UPDATE;

    IF p_kind = 'text' THEN
        SELECT seq INTO stored FROM task_events
            WHERE task_id = p_task_id AND kind = 'text' AND call_id = p_call_id AND attempt = p_attempt
              AND text_offset = p_text_offset;
        IF FOUND THEN
            RETURN stored;
        END IF;
        is_abandoned := EXISTS (SELECT 1 FROM task_events WHERE task_id = p_task_id AND kind = 'attempt-abandoned'
            AND call_id = p_call_id AND attempt = p_attempt);
    ELSIF p_kind = 'attempt-abandoned' THEN
        UPDATE task_events SET abandoned = true
            WHERE task_id = p_task_id AND kind = 'text' AND call_id = p_call_id AND attempt = p_attempt
              AND NOT abandoned;
        SELECT seq INTO stored FROM task_events
            WHERE task_id = p_task_id AND kind = 'attempt-abandoned' AND call_id = p_call_id AND attempt = p_attempt;
        IF FOUND THEN
            RETURN stored;
        END IF;
    END IF;

    UPDATE task_event_sequences SET last_seq = next_seq WHERE task_id = p_task_id;
    INSERT INTO task_events (task_id, seq, kind, status, message, progress, total, call_id, attempt, step,
                             text_offset, text, abandoned)
        VALUES (p_task_id, next_seq, p_kind, p_status, p_message, p_progress, p_total, p_call_id, p_attempt, p_step,
                p_text_offset, p_text, is_abandoned);
    PERFORM pg_notify('task_events', json_build_object('taskId', p_task_id, 'seq', next_seq)::text);
    RETURN next_seq;
END;
$$ LANGUAGE plpgsql;

-- Every task's first status and each change of it are events of the task, whichever process made them.
DROP TRIGGER tasks_status_changed ON tasks;
DROP FUNCTION notify_task_status();

CREATE FUNCTION append_task_status_event() RETURNS trigger AS $$
BEGIN
    PERFORM append_task_event(NEW.id, 'status', NEW.status, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER tasks_status_entered
    AFTER INSERT ON tasks
    FOR EACH ROW
    EXECUTE FUNCTION append_task_status_event();

CREATE TRIGGER tasks_status_changed
    AFTER UPDATE OF status ON tasks
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION append_task_status_event();
