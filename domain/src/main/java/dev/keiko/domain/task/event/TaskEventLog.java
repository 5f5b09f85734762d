package dev.keiko.domain.task.event;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The events of each task, stored before they are announced: an append takes the task's next sequence number,
 * stores the row and notifies {@code task_events} with the task id and that number, all in one transaction (the SQL
 * function {@code append_task_event}). Status events are appended by triggers on {@code tasks}. Offsets of text count
 * UTF-16 characters ({@link String#length()}) of the attempt's answer.
 */
@Component
public class TaskEventLog {

    /** The longest progress message stored, in characters; a longer one is cut and ends with an ellipsis. */
    public static final int MAX_MESSAGE_CHARS = 2_000;

    /** The most events one {@link #after} read answers. */
    public static final int MAX_PAGE = 1000;
    private static final int DELETE_BATCH = 10_000;
    private static final int ANSWER_ROWS = 8192;
    private static final String COLUMNS = "task_id, seq, kind, status, message, progress, total, call_id, attempt,"
            + " step, text_offset, text, abandoned, created_at";
    private static final String APPEND = "SELECT append_task_event(:task, :kind, NULL, :message, :progress, :total,"
            + " :call, :attempt, :step, :offset, :text) AS seq";

    private final DatabaseClient db;

    public TaskEventLog(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Long> appendProgress(UUID taskId, String message, Double progress, Double total) {
        GenericExecuteSpec append = db.sql(APPEND).bind("task", taskId).bind("kind", "progress");
        append = nullable(append, "message", shortened(message), String.class);
        append = nullable(append, "progress", progress, Double.class);
        append = nullable(append, "total", total, Double.class);
        return seq(nullCall(append).bindNull("step", String.class).bindNull("offset", Integer.class)
                .bindNull("text", String.class));
    }

    /**
     * Appends a delta of an attempt's answer; a delta already stored at that offset answers its number and writes
     * nothing, so a retried publication repeats nothing. A delta of an abandoned attempt is stored as abandoned.
     */
    public Mono<Long> appendText(UUID taskId, ModelCallAttempt call, String step, int offset, String text) {
        if (offset < 0) {
            return Mono.error(new IllegalArgumentException("A text offset is never negative, not " + offset));
        }
        GenericExecuteSpec append = db.sql(APPEND).bind("task", taskId).bind("kind", "text")
                .bindNull("message", String.class).bindNull("progress", Double.class).bindNull("total", Double.class)
                .bind("call", call.callId()).bind("attempt", call.attempt())
                .bind("offset", offset).bind("text", text);
        return seq(nullable(append, "step", step, String.class));
    }

    /**
     * A progress message at most {@link #MAX_MESSAGE_CHARS} characters long: a tool's progress notification says
     * what its server wants, and every one is stored.
     */
    private static String shortened(String message) {
        if (message == null || message.length() <= MAX_MESSAGE_CHARS) {
            return message;
        }
        int end = Character.isHighSurrogate(message.charAt(MAX_MESSAGE_CHARS - 1)) ? MAX_MESSAGE_CHARS - 1
                : MAX_MESSAGE_CHARS;
        return message.substring(0, end) + "…";
    }

    /** Marks that attempt's text abandoned and appends an {@link TaskEvent.AttemptAbandoned}, once. */
    public Mono<Void> abandon(UUID taskId, ModelCallAttempt call) {
        GenericExecuteSpec append = db.sql(APPEND).bind("task", taskId).bind("kind", "attempt-abandoned")
                .bindNull("message", String.class).bindNull("progress", Double.class).bindNull("total", Double.class)
                .bind("call", call.callId()).bind("attempt", call.attempt())
                .bindNull("step", String.class).bindNull("offset", Integer.class).bindNull("text", String.class);
        return seq(append).then();
    }

    /**
     * Abandons every attempt of {@code current}'s call before it, whether it wrote text yet or not: an attempt
     * whose worker lost touch with Temporal may still be running, and what it writes later is stored abandoned.
     */
    public Mono<Void> abandonEarlier(UUID taskId, ModelCallAttempt current) {
        return Flux.range(1, Math.max(0, current.attempt() - 1))
                .concatMap(attempt -> abandon(taskId, new ModelCallAttempt(current.callId(), attempt)))
                .then();
    }

    /** At most {@code limit} (up to {@link #MAX_PAGE}) of the task's events after {@code afterSeq}, in order. */
    public Flux<TaskEvent> after(UUID taskId, long afterSeq, int limit) {
        return db.sql("SELECT " + COLUMNS + " FROM task_events WHERE task_id = :task AND seq > :after"
                        + " ORDER BY seq LIMIT :limit")
                .bind("task", taskId).bind("after", afterSeq).bind("limit", Math.clamp(limit, 1, MAX_PAGE))
                .map(TaskEventLog::event).all();
    }

    /**
     * Whether the task has events after {@code afterSeq}: any but the text of abandoned attempts, which counts only
     * {@code withAbandonedText}.
     */
    public Mono<Boolean> hasEventsAfter(UUID taskId, long afterSeq, boolean withAbandonedText) {
        return db.sql("SELECT EXISTS (SELECT 1 FROM task_events WHERE task_id = :task AND seq > :after"
                        + " AND (:abandoned OR NOT abandoned)) AS found")
                .bind("task", taskId).bind("after", afterSeq).bind("abandoned", withAbandonedText)
                .map(row -> row.get("found", Boolean.class)).one();
    }

    /** The number of the task's newest event; empty when it has none. */
    public Mono<Long> lastSeq(UUID taskId) {
        return db.sql("SELECT last_seq FROM task_event_sequences WHERE task_id = :task").bind("task", taskId)
                .map(row -> row.get("last_seq", Long.class)).one();
    }

    /**
     * The answer of the task's newest model call so far (the call that wrote the newest text): the text of its
     * newest attempt that was not abandoned, at most its last {@link AnswerSoFar#MAX_CHARS} characters. Empty when
     * no model call wrote text or the newest one's attempts were all abandoned.
     */
    public Mono<AnswerSoFar> answerSoFar(UUID taskId) {
        return db.sql("WITH newest_call AS (SELECT call_id FROM task_events WHERE task_id = :task AND kind = 'text'"
                        + " ORDER BY seq DESC LIMIT 1),"
                        + " newest_attempt AS (SELECT e.call_id, max(e.attempt) AS attempt FROM task_events e"
                        + " JOIN newest_call c ON e.call_id = c.call_id WHERE e.task_id = :task AND e.kind = 'text'"
                        + " AND NOT e.abandoned GROUP BY e.call_id),"
                        + " deltas AS (SELECT e.seq, e.step, e.call_id, e.attempt, e.text_offset, e.text"
                        + " FROM task_events e JOIN newest_attempt a ON e.call_id = a.call_id AND e.attempt = a.attempt"
                        + " WHERE e.task_id = :task AND e.kind = 'text'),"
                        + " tail AS (SELECT max(text_offset + char_length(text)) AS end_offset FROM deltas)"
                        // Twice the characters shown: PostgreSQL counts code points where offsets count UTF-16 units.
                        + " SELECT d.* FROM deltas d, tail WHERE d.text_offset + char_length(d.text) > tail.end_offset"
                        + " - :window ORDER BY d.text_offset DESC, d.seq DESC LIMIT :rows")
                .bind("task", taskId).bind("window", 2 * AnswerSoFar.MAX_CHARS).bind("rows", ANSWER_ROWS)
                .map(row -> new Delta(row.get("step", String.class),
                        new ModelCallAttempt(row.get("call_id", String.class), row.get("attempt", Integer.class)),
                        row.get("text_offset", Integer.class), row.get("text", String.class)))
                .all().collectList()
                .filter(newestFirst -> !newestFirst.isEmpty())
                .map(TaskEventLog::answer);
    }

    /**
     * Deletes the events of the tasks that finished before {@code cutoff} (their task and sequence rows stay), in
     * batches; answers how many went.
     */
    public Mono<Long> deleteOfTasksFinishedBefore(Instant cutoff) {
        Mono<Long> batch = db.sql("DELETE FROM task_events WHERE (task_id, seq) IN (SELECT e.task_id, e.seq"
                        + " FROM tasks t JOIN task_events e ON e.task_id = t.id WHERE t.finished_at < :cutoff"
                        + " LIMIT :batch)")
                .bind("cutoff", cutoff.atOffset(ZoneOffset.UTC)).bind("batch", DELETE_BATCH)
                .fetch().rowsUpdated();
        return batch.expand(deleted -> deleted < DELETE_BATCH ? Mono.empty() : batch)
                .reduce(0L, Long::sum);
    }

    private record Delta(String step, ModelCallAttempt call, int offset, String text) {}

    /** The deltas put together: a delta that overlaps what is there adds only its rest; a gap is skipped over. */
    private static AnswerSoFar answer(List<Delta> newestFirst) {
        StringBuilder text = new StringBuilder();
        long end = newestFirst.getLast().offset();
        for (Delta delta : newestFirst.reversed()) {
            long deltaEnd = (long) delta.offset() + delta.text().length();
            if (deltaEnd > end) {
                text.append(delta.text(), (int) Math.max(0, end - delta.offset()), delta.text().length());
                end = deltaEnd;
            }
        }
        int start = Math.max(0, text.length() - AnswerSoFar.MAX_CHARS);
        if (start > 0 && Character.isLowSurrogate(text.charAt(start))) {
            start++;
        }
        Delta newest = newestFirst.getFirst();
        return new AnswerSoFar(newest.step(), newest.call(), text.substring(start));
    }

    private static TaskEvent event(Readable row) {
        UUID taskId = row.get("task_id", UUID.class);
        long seq = row.get("seq", Long.class);
        Instant at = row.get("created_at", OffsetDateTime.class).toInstant();
        String kind = row.get("kind", String.class);
        return switch (kind) {
            case "status" -> new TaskEvent.StatusChanged(taskId, seq, at, row.get("status", String.class));
            case "progress" -> new TaskEvent.Progressed(taskId, seq, at, row.get("message", String.class),
                    row.get("progress", Double.class), row.get("total", Double.class));
            case "text" -> new TaskEvent.TextWritten(taskId, seq, at, call(row), row.get("step", String.class),
                    row.get("text_offset", Integer.class), row.get("text", String.class),
                    row.get("abandoned", Boolean.class));
            case "attempt-abandoned" -> new TaskEvent.AttemptAbandoned(taskId, seq, at, call(row));
            default -> throw new IllegalStateException("Unknown task event kind '" + kind + "'");
        };
    }

    private static ModelCallAttempt call(Readable row) {
        return new ModelCallAttempt(row.get("call_id", String.class), row.get("attempt", Integer.class));
    }

    private static Mono<Long> seq(GenericExecuteSpec append) {
        return append.map(row -> row.get("seq", Long.class)).one();
    }

    private static GenericExecuteSpec nullCall(GenericExecuteSpec append) {
        return append.bindNull("call", String.class).bindNull("attempt", Integer.class);
    }

    private static <T> GenericExecuteSpec nullable(GenericExecuteSpec spec, String name, T value, Class<T> type) {
        return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
    }
}
