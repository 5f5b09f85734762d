package dev.keiko.domain.task.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.keiko.domain.DomainTest;
import dev.keiko.domain.task.NewTask;
import dev.keiko.domain.task.Task;
import dev.keiko.domain.task.TaskPriority;
import dev.keiko.domain.task.TaskStatus;
import dev.keiko.domain.task.TaskStore;
import dev.keiko.domain.task.event.TaskEvent.AttemptAbandoned;
import dev.keiko.domain.task.event.TaskEvent.Progressed;
import dev.keiko.domain.task.event.TaskEvent.StatusChanged;
import dev.keiko.domain.task.event.TaskEvent.TextWritten;
import dev.keiko.domain.user.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import tools.jackson.databind.json.JsonMapper;

class TaskEventLogTest extends DomainTest {

    private static final ModelCallAttempt FIRST = new ModelCallAttempt("run-1/7", 1);
    private static final ModelCallAttempt SECOND = new ModelCallAttempt("run-1/7", 2);

    @Autowired
    TaskEventLog log;

    @Autowired
    TaskStore tasks;

    @Autowired
    DatabaseClient db;

    @Autowired
    ReactiveTransactionManager transactions;

    @Autowired
    JsonMapper json;

    @Test
    void aTasksStatusesAreItsEventsFromItsInsert() {
        Task task = newTask();
        tasks.markRunning(task.id(), Instant.now()).block();
        log.appendProgress(task.id(), "step 1", 1.0, 4.0).block();
        tasks.markRunning(task.id(), Instant.now()).block(); // no change, no event
        tasks.recordOutcome(task.id(), TaskStatus.COMPLETED, json.valueToTree(Map.of()), Instant.now()).block();

        List<TaskEvent> events = all(task);

        assertThat(events).extracting(TaskEvent::seq).containsExactly(1L, 2L, 3L, 4L);
        assertThat(events.get(0)).isInstanceOfSatisfying(StatusChanged.class,
                status -> assertThat(status.status()).isEqualTo("pending"));
        assertThat(events.get(1)).isInstanceOfSatisfying(StatusChanged.class,
                status -> assertThat(status.status()).isEqualTo("running"));
        assertThat(events.get(2)).isInstanceOfSatisfying(Progressed.class, progress -> assertThat(progress)
                .extracting(Progressed::message, Progressed::progress, Progressed::total)
                .containsExactly("step 1", 1.0, 4.0));
        assertThat(events.get(3)).isInstanceOfSatisfying(StatusChanged.class,
                status -> assertThat(status.status()).isEqualTo("completed"));
        assertThat(log.after(task.id(), 2, 1).collectList().block()).extracting(TaskEvent::seq).containsExactly(3L);
        assertThat(log.after(task.id(), Long.MAX_VALUE, 10).collectList().block()).isEmpty();
    }

    /**
     * Writers hold their transaction open a little after appending; a reader that always reads on after the last
     * number it saw must still see every number, once and in order: numbers are handed out in commit order.
     */
    @Test
    void numbersAreStrictlyIncreasingInCommitOrderUnderConcurrentWriters() throws Exception {
        Task task = newTask();
        TransactionalOperator transaction = TransactionalOperator.create(transactions);
        int writers = 6;
        int appendsEach = 30;
        ExecutorService threads = Executors.newFixedThreadPool(writers + 1);
        AtomicBoolean writing = new AtomicBoolean(true);
        Future<List<Long>> reader = threads.submit(() -> {
            List<Long> seen = new ArrayList<>();
            long last = 0;
            while (writing.get() || !log.after(task.id(), last, 1).collectList().block().isEmpty()) {
                for (TaskEvent event : log.after(task.id(), last, 7).collectList().block()) {
                    seen.add(event.seq());
                    last = event.seq();
                }
            }
            return seen;
        });
        List<Future<?>> appending = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            appending.add(threads.submit(() -> {
                for (int i = 0; i < appendsEach; i++) {
                    long pause = ThreadLocalRandom.current().nextInt(4);
                    transaction.transactional(log.appendProgress(task.id(), "w" + writer + " " + i, null, null)
                            .delayUntil(seq -> db.sql("SELECT pg_sleep(" + pause / 1000.0 + ")").then()))
                            .block(Duration.ofSeconds(30));
                }
            }));
        }
        for (Future<?> writer : appending) {
            writer.get(60, TimeUnit.SECONDS);
        }
        writing.set(false);
        List<Long> seen = reader.get(60, TimeUnit.SECONDS);
        threads.shutdown();

        List<Long> expected = LongStream.rangeClosed(1, 1 + writers * appendsEach).boxed().toList();
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(all(task)).extracting(TaskEvent::seq).containsExactlyElementsOf(expected);
        // Each writer's own appends are in its order.
        for (int w = 0; w < writers; w++) {
            String prefix = "w" + w + " ";
            assertThat(all(task).stream().filter(Progressed.class::isInstance).map(Progressed.class::cast)
                    .map(Progressed::message).filter(message -> message.startsWith(prefix))
                    .map(message -> Integer.parseInt(message.substring(prefix.length()))).toList())
                    .isSorted().hasSize(appendsEach);
        }
    }

    @Test
    void aHugeProgressMessageIsStoredCut() {
        Task task = newTask();

        log.appendProgress(task.id(), "x".repeat(1_000_000), null, null).block();

        assertThat(all(task).stream().filter(TaskEvent.Progressed.class::isInstance).map(TaskEvent.Progressed.class::cast))
                .singleElement().satisfies(progressed -> assertThat(progressed.message())
                        .hasSize(TaskEventLog.MAX_MESSAGE_CHARS + 1).endsWith("x…"));
    }

    @Test
    void aTextDeltaIsStoredOnce() {
        Task task = newTask();

        long first = log.appendText(task.id(), FIRST, "llm: gpt-4o", 0, "Hel").block();
        long again = log.appendText(task.id(), FIRST, "llm: gpt-4o", 0, "Hel").block();
        long different = log.appendText(task.id(), FIRST, "llm: gpt-4o", 0, "Something else").block();
        long next = log.appendText(task.id(), FIRST, "llm: gpt-4o", 3, "lo").block();
        long otherAttempt = log.appendText(task.id(), SECOND, "llm: gpt-4o", 0, "Hel").block();

        assertThat(List.of(first, again, different, next, otherAttempt)).containsExactly(2L, 2L, 2L, 3L, 4L);
        assertThat(all(task)).hasSize(4);
        assertThat(all(task).get(1)).isEqualTo(new TextWritten(task.id(), 2, all(task).get(1).at(), FIRST,
                "llm: gpt-4o", 0, "Hel", false));
    }

    @Test
    void anAttemptIsAbandonedOnceAndItsTextMarked() {
        Task task = newTask();
        log.appendText(task.id(), FIRST, "llm: m", 0, "Hel").block();
        log.appendText(task.id(), FIRST, "llm: m", 3, "lo").block();
        log.appendText(task.id(), SECOND, "llm: m", 0, "Hi").block();

        log.abandon(task.id(), FIRST).block();
        log.abandon(task.id(), FIRST).block();
        long late = log.appendText(task.id(), FIRST, "llm: m", 5, " there").block();

        List<TaskEvent> events = all(task);
        assertThat(events.stream().filter(AttemptAbandoned.class::isInstance).toList())
                .singleElement().isEqualTo(new AttemptAbandoned(task.id(), 5, events.get(4).at(), FIRST));
        assertThat(events.stream().filter(TextWritten.class::isInstance).map(TextWritten.class::cast))
                .extracting(TextWritten::call, TextWritten::text, TextWritten::abandoned)
                .containsExactly(
                        tuple(FIRST, "Hel", true),
                        tuple(FIRST, "lo", true),
                        tuple(SECOND, "Hi", false),
                        tuple(FIRST, " there", true));
        assertThat(late).isEqualTo(6);
    }

    @Test
    void earlierAttemptsThatHadNotWrittenYetAreAbandonedTooAndWhatTheyWriteLaterIsStoredSo() {
        Task task = newTask();
        ModelCallAttempt stillRunning = new ModelCallAttempt("run-1/9", 1);

        log.abandonEarlier(task.id(), new ModelCallAttempt("run-1/9", 2)).block();
        log.appendText(task.id(), stillRunning, "llm: m", 0, "late").block();

        assertThat(all(task).stream().filter(AttemptAbandoned.class::isInstance).map(AttemptAbandoned.class::cast))
                .extracting(AttemptAbandoned::call).containsExactly(stillRunning);
        assertThat(all(task).stream().filter(TextWritten.class::isInstance).map(TextWritten.class::cast))
                .singleElement().satisfies(text -> assertThat(text.abandoned()).isTrue());
    }

    @Test
    void earlierAttemptsThatWroteTextAreAbandonedBeforeANewOneWrites() {
        Task task = newTask();
        ModelCallAttempt third = new ModelCallAttempt(FIRST.callId(), 3);
        ModelCallAttempt otherCall = new ModelCallAttempt("run-1/9", 1);
        log.appendText(task.id(), FIRST, "llm: m", 0, "a").block();
        log.appendText(task.id(), SECOND, "llm: m", 0, "b").block();
        log.appendText(task.id(), otherCall, "llm: m", 0, "c").block();
        log.abandon(task.id(), FIRST).block();

        log.abandonEarlier(task.id(), third).block();
        log.abandonEarlier(task.id(), third).block();

        assertThat(all(task).stream().filter(AttemptAbandoned.class::isInstance).map(AttemptAbandoned.class::cast))
                .extracting(AttemptAbandoned::call).containsExactly(FIRST, SECOND);
        assertThat(all(task).stream().filter(TextWritten.class::isInstance).map(TextWritten.class::cast))
                .extracting(TextWritten::text, TextWritten::abandoned)
                .containsExactly(tuple("a", true),
                        tuple("b", true),
                        tuple("c", false));
    }

    @Test
    void theAnswerSoFarIsTheNewestCallsTextWithoutItsAbandonedAttempts() {
        Task task = newTask();
        assertThat(log.answerSoFar(task.id()).blockOptional()).isEmpty();
        ModelCallAttempt nextCall = new ModelCallAttempt("run-1/12", 1);
        ModelCallAttempt nextCallRetry = new ModelCallAttempt("run-1/12", 2);
        log.appendText(task.id(), FIRST, "llm: a", 0, "First answer").block();
        log.appendText(task.id(), nextCall, "llm: b", 0, "Lost").block();
        assertThat(log.answerSoFar(task.id()).block()).isEqualTo(new AnswerSoFar("llm: b", nextCall, "Lost"));

        log.abandon(task.id(), nextCall).block();
        // The newest call has no text left: not the older call's answer either.
        assertThat(log.answerSoFar(task.id()).blockOptional()).isEmpty();

        // Out of order, repeated and overlapping deltas make one text.
        log.appendText(task.id(), nextCallRetry, "llm: b", 6, " world").block();
        log.appendText(task.id(), nextCallRetry, "llm: b", 0, "Hello,").block();
        log.appendText(task.id(), nextCallRetry, "llm: b", 4, "o, w").block();
        log.appendText(task.id(), nextCallRetry, "llm: b", 12, "!").block();

        assertThat(log.answerSoFar(task.id()).block())
                .isEqualTo(new AnswerSoFar("llm: b", nextCallRetry, "Hello, world!"));
    }

    @Test
    void theAnswerSoFarIsCappedToItsLastCharacters() {
        Task task = newTask();
        int chunk = 40_000;
        for (int i = 0; i < 3; i++) {
            log.appendText(task.id(), FIRST, "llm: m", i * chunk, String.valueOf((char) ('a' + i)).repeat(chunk))
                    .block();
        }

        String text = log.answerSoFar(task.id()).block().text();

        assertThat(text).hasSize(AnswerSoFar.MAX_CHARS);
        assertThat(text).endsWith("c".repeat(chunk)).startsWith("b");
    }

    @Test
    void eventsGoWithTheirTask() {
        Task task = newTask();
        log.appendProgress(task.id(), "step", null, null).block();

        db.sql("DELETE FROM tasks WHERE id = :id").bind("id", task.id()).then().block();

        assertThat(all(task)).isEmpty();
        assertThat(sequenceRows(task)).isZero();
    }

    @Test
    void retentionDeletesOnlyTheEventsOfTasksFinishedBeforeTheCutoff() {
        Instant now = Instant.now();
        Task old = finished(now.minus(Duration.ofDays(40)));
        Task recent = finished(now.minus(Duration.ofDays(1)));
        Task running = newTask();
        tasks.markRunning(running.id(), now.minus(Duration.ofDays(50))).block();

        Long deleted = log.deleteOfTasksFinishedBefore(now.minus(Duration.ofDays(30))).block();

        assertThat(deleted).isGreaterThanOrEqualTo(2);
        assertThat(all(old)).isEmpty();
        assertThat(sequenceRows(old)).isOne();
        assertThat(tasks.findById(old.id()).block()).isNotNull();
        assertThat(all(recent)).hasSize(2);
        assertThat(all(running)).hasSize(2);
        assertThat(log.deleteOfTasksFinishedBefore(now.minus(Duration.ofDays(30))).block()).isZero();
    }

    private Task finished(Instant at) {
        Task task = newTask();
        tasks.recordOutcome(task.id(), TaskStatus.COMPLETED, json.valueToTree(Map.of()), at).block();
        return task;
    }

    private long sequenceRows(Task task) {
        return db.sql("SELECT count(*) AS n FROM task_event_sequences WHERE task_id = :id").bind("id", task.id())
                .map(row -> row.get("n", Long.class)).one().block();
    }

    private List<TaskEvent> all(Task task) {
        return log.after(task.id(), 0, TaskEventLog.MAX_PAGE).collectList().block();
    }

    private Task newTask() {
        UUID owner = newUser(Role.USER).id();
        return tasks.insert(new NewTask(owner, "tool", json.valueToTree(Map.of()), TaskPriority.NORMAL, 60, null, "h"))
                .block().task();
    }
}
