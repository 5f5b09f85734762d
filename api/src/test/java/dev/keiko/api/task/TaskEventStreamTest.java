package dev.keiko.api.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keiko.api.ApiTestSupport;
import dev.keiko.api.auth.ProblemBody;
import dev.keiko.domain.task.NewTask;
import dev.keiko.domain.task.Task;
import dev.keiko.domain.task.TaskPriority;
import dev.keiko.domain.task.TaskStatus;
import dev.keiko.domain.task.TaskStore;
import dev.keiko.domain.task.event.ModelCallAttempt;
import dev.keiko.domain.task.event.TaskEvent;
import dev.keiko.domain.task.event.TaskEventLog;
import dev.keiko.domain.user.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The replayable event stream of a task, against the log in embedded PostgreSQL; no worker runs here. */
class TaskEventStreamTest extends ApiTestSupport {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> EVENTS = new ParameterizedTypeReference<>() { };
    private static final ModelCallAttempt FIRST = new ModelCallAttempt("run/5", 1);
    private static final ModelCallAttempt SECOND = new ModelCallAttempt("run/5", 2);

    @Autowired
    TaskStore tasks;

    @Autowired
    TaskEventLog log;

    @Autowired
    TaskEventStream stream;

    @Autowired
    TaskEventViews views;

    @Autowired
    JsonMapper json;

    @Autowired
    DatabaseClient db;

    @LocalServerPort
    int port;

    @Test
    void aClientThatReconnectsWithLastEventIdMissesNothingAndSeesNothingTwice() throws Exception {
        TestUser user = createUser(Role.USER);
        Task task = runningTask(user);
        int appended = 400;
        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
            for (int i = 1; i <= appended; i++) {
                log.appendProgress(task.id(), "p" + i, (double) i, (double) appended).block();
                if (i % 20 == 0) {
                    sleep(10);
                }
            }
            tasks.recordOutcome(task.id(), TaskStatus.COMPLETED, json.valueToTree(Map.of()), Instant.now()).block();
        });

        List<ServerSentEvent<String>> before = events(request(user, task, headers -> { }, "")).take(60)
                .collectList().block(Duration.ofSeconds(30));
        String lastSeen = before.getLast().id();
        List<ServerSentEvent<String>> after = events(request(user, task,
                headers -> headers.set("Last-Event-ID", lastSeen), "?after=3")).collectList()
                .block(Duration.ofSeconds(60));
        writing.get();

        List<ServerSentEvent<String>> all = new ArrayList<>(before);
        all.addAll(after);
        long total = appended + 3; // pending, running, the progress, completed
        assertThat(all).extracting(event -> Long.parseLong(event.id()))
                .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        assertThat(all.stream().filter(event -> "progress".equals(event.event()))
                .map(event -> json.readTree(event.data()).get("message").asString()))
                .containsExactlyElementsOf(LongStream.rangeClosed(1, appended).mapToObj(i -> "p" + i).toList());
        assertThat(all.getLast().event()).isEqualTo("status");
        assertThat(json.readTree(all.getLast().data()).get("status").asString()).isEqualTo("completed");
        // The first reconnect ran while the events were appended, so part of it came live.
        assertThat(before.getFirst().event()).isEqualTo("status");
    }

    @Test
    void aSubscriberThatDoesNotReadNeitherHoldsUpTheOthersNorLosesAnything() throws Exception {
        Task task = runningTask(createUser(Role.USER));
        int appended = 3 * TaskEventFeed.WINDOW;
        // It reads the two events there are and asks for one more, which the flood below brings; then it stops.
        SlowSubscriber slow = new SlowSubscriber(3);
        stream.follow(task, 0, false).subscribe(slow);
        List<ServerSentEvent<Object>> fast = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> fastDone = new CompletableFuture<>();
        stream.follow(task, 0, false).filter(event -> event.event() != null) // no keep-alive comments
                .subscribe(fast::add, fastDone::completeExceptionally, () -> fastDone.complete(null));
        await().atMost(Duration.ofSeconds(10)).until(() -> slow.received.size() == 2 && fast.size() == 2
                && stream.feedStarted(task.id()));

        for (int i = 1; i <= appended; i++) {
            log.appendProgress(task.id(), "p" + i, null, null).block();
        }
        tasks.recordOutcome(task.id(), TaskStatus.COMPLETED, json.valueToTree(Map.of()), Instant.now()).block();
        long total = appended + 3L;

        fastDone.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(fast).extracting(event -> Long.parseLong(event.id()))
                .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        // Two events and the first of the flood, or a keep-alive comment in its place on a slow machine.
        assertThat(slow.received).hasSize(3);
        int beforeFlood = (int) slow.received.stream().filter(event -> event.id() != null).count();

        slow.readOn();
        await().atMost(Duration.ofSeconds(30)).until(() -> slow.completed);
        List<ServerSentEvent<Object>> named = slow.received.stream().filter(event -> event.event() != null).toList();
        assertThat(named.get(beforeFlood).event()).isEqualTo("behind");
        assertThat(named.get(beforeFlood).id()).isNull();
        assertThat(named.get(beforeFlood).data()).isEqualTo(new BehindView(beforeFlood));
        assertThat(named).filteredOn(event -> event.id() != null)
                .extracting(event -> Long.parseLong(event.id()))
                .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        assertThat(named).filteredOn(event -> "behind".equals(event.event())).hasSize(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> !stream.follows(task.id()));
    }

    /**
     * Over HTTP: a client that stops reading lets TCP push back until its stream stops asking for events; the feed
     * and another client go on, and when it reads on it hears that it fell behind and gets every event all the same.
     */
    @Test
    void aClientThatStopsReadingOverHttpFallsBehindAndLosesNothing() throws Exception {
        TestUser user = createUser(Role.USER);
        Task task = runningTask(user);
        int deltas = 2000;
        String delta = "x".repeat(4000);
        try (RawEventStream stalled = RawEventStream.open(port, task.id(), user.token())) {
            CompletableFuture<List<ServerSentEvent<String>>> other = events(request(user, task, headers -> { }, ""))
                    .collectList().toFuture();
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.feedStarted(task.id()));
            for (int i = 0; i < deltas; i++) {
                log.appendText(task.id(), FIRST, "llm: m", i * delta.length(), delta).block();
            }
            tasks.recordOutcome(task.id(), TaskStatus.COMPLETED, json.valueToTree(Map.of()), Instant.now()).block();
            long total = deltas + 3L;

            assertThat(other.get(60, java.util.concurrent.TimeUnit.SECONDS))
                    .extracting(event -> Long.parseLong(event.id()))
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
            List<RawEventStream.Event> received = stalled.readToEnd();
            assertThat(received).filteredOn(event -> event.event().equals("behind")).hasSize(1)
                    .allSatisfy(event -> assertThat(event.id()).isNull());
            assertThat(received).filteredOn(event -> event.id() != null)
                    .extracting(event -> Long.parseLong(event.id()))
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        }
    }

    /** A stream that caught up from the database before its feed started is not behind the feed, only before it. */
    @Test
    void aStreamThatCaughtUpBeforeItsFeedStartedIsNotBehind() {
        Task task = runningTask(createUser(Role.USER));
        TaskEventFeed feed = new TaskEventFeed(task.id(), log, views);
        List<ServerSentEvent<Object>> received = new CopyOnWriteArrayList<>();
        FeedSubscriber[] subscriber = new FeedSubscriber[1];
        Flux.<ServerSentEvent<Object>>create(sink -> {
            subscriber[0] = new FeedSubscriber(feed, log, views, sink, 0, false, false);
            feed.add(subscriber[0]);
            sink.onRequest(requested -> subscriber[0].drain());
        }).subscribe(received::add);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);

        log.appendProgress(task.id(), "after the catch-up", null, null).block();
        feed.start(); // its window starts after event 3, which this stream has not sent

        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 3);
        assertThat(received).extracting(ServerSentEvent::event).containsExactly("status", "status", "progress");
        assertThat(received.get(2).id()).isEqualTo("3");
    }

    /** A notice that comes while the feed reads costs one more read, after that one. */
    @Test
    void aNoticeDuringARunningReadIsReadAfterIt() {
        HeldReads held = new HeldReads(db);
        TaskEventFeed feed = new TaskEventFeed(UUID.randomUUID(), held, views);
        feed.start();
        assertThat(held.reads).hasSize(1);

        feed.noticed(1);
        feed.noticed(2);
        assertThat(held.reads).hasSize(1);
        held.answer(0);
        assertThat(held.reads).hasSize(2);
        held.answer(1);
        assertThat(held.reads).hasSize(2);
        feed.read();
        assertThat(held.reads).hasSize(3);
    }

    /**
     * A read asked for just as the running one ends is never lost: either it starts one itself or the ending read
     * reads again. The two race here, over and over (the old flag-based scheduling lost one in some tens of
     * thousands of rounds).
     */
    @Test
    void aReadAskedForAsTheRunningOneEndsIsNeverLost() throws Exception {
        HeldReads held = new HeldReads(db);
        TaskEventFeed feed = new TaskEventFeed(UUID.randomUUID(), held, views);
        feed.start();
        AtomicInteger round = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        int rounds = 500_000;
        Thread answering = Thread.ofPlatform().start(() -> {
            for (int r = 1; r <= rounds; r++) {
                while (round.get() < r) {
                    Thread.onSpinWait();
                }
                held.answer(r - 1);
                answered.set(r);
            }
        });
        try {
            Random random = new Random(10);
            for (int r = 1; r <= rounds; r++) {
                int jitter = random.nextInt(40);
                round.set(r);
                for (int i = 0; i < jitter; i++) {
                    Thread.onSpinWait();
                }
                feed.read();
                while (answered.get() < r) {
                    Thread.onSpinWait();
                }
                if (held.reads.size() <= r) {
                    throw new AssertionError("The read asked for in round " + r + " was lost");
                }
            }
        } finally {
            round.set(rounds);
            answering.join(10_000);
        }
    }

    /** A log without events whose reads of them wait until the test answers them, in order. */
    private static final class HeldReads extends TaskEventLog {

        final List<Sinks.Empty<Void>> reads = Collections.synchronizedList(new ArrayList<>());

        HeldReads(DatabaseClient db) {
            super(db);
        }

        @Override
        public Flux<TaskEvent> after(UUID taskId, long afterSeq, int limit) {
            Sinks.Empty<Void> read = Sinks.empty();
            reads.add(read);
            return read.asMono().thenMany(Flux.empty());
        }

        @Override
        public Mono<Long> lastSeq(UUID taskId) {
            return Mono.just(0L);
        }

        void answer(int read) {
            reads.get(read).tryEmitEmpty().orThrow();
        }
    }

    @Test
    void theTextOfAbandonedAttemptsIsLeftOutUnlessAskedFor() {
        TestUser user = createUser(Role.USER);
        Task task = runningTask(user);
        log.appendText(task.id(), FIRST, "llm: m", 0, "Hel").block();
        log.abandon(task.id(), FIRST).block();
        log.appendText(task.id(), SECOND, "llm: m", 0, "Hello").block();
        tasks.recordOutcome(task.id(), TaskStatus.COMPLETED, json.valueToTree(Map.of()), Instant.now()).block();

        List<ServerSentEvent<String>> byDefault = events(request(user, task, headers -> { }, "")).collectList()
                .block(Duration.ofSeconds(30));
        List<ServerSentEvent<String>> included = events(request(user, task, headers -> { }, "?abandoned=include"))
                .collectList().block(Duration.ofSeconds(30));

        assertThat(byDefault).extracting(ServerSentEvent::event)
                .containsExactly("status", "status", "attempt-abandoned", "text", "status");
        assertThat(byDefault).extracting(ServerSentEvent::id).containsExactly("1", "2", "4", "5", "6");
        assertThat(json.readTree(byDefault.get(2).data())).isEqualTo(json.readTree(
                "{\"call\":\"run/5\",\"attempt\":1}"));
        assertThat(json.readTree(byDefault.get(3).data())).isEqualTo(json.readTree(
                "{\"call\":\"run/5\",\"attempt\":2,\"step\":\"llm: m\",\"offset\":0,\"text\":\"Hello\"}"));
        assertThat(included).extracting(ServerSentEvent::event)
                .containsExactly("status", "status", "text", "attempt-abandoned", "text", "status");
        assertThat(json.readTree(included.get(2).data())).isEqualTo(json.readTree(
                "{\"call\":\"run/5\",\"attempt\":1,\"step\":\"llm: m\",\"offset\":0,\"text\":\"Hel\",\"abandoned\":true}"));
        ProblemBody.expect(request(user, task, headers -> { }, "?abandoned=maybe"), 400);
    }

    /**
     * The feed's window keeps text it read before its attempt was abandoned: a client resuming from the window gets
     * it marked abandoned, as from the database, so left out by default.
     */
    @Test
    void textAbandonedAfterTheFeedReadItIsAbandonedInTheWindowToo() {
        TestUser user = createUser(Role.USER);
        Task task = runningTask(user);
        List<ServerSentEvent<Object>> live = new CopyOnWriteArrayList<>();
        Disposable following = stream.follow(task, 0, false).subscribe(live::add);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.feedStarted(task.id()));
            log.appendText(task.id(), FIRST, "llm: m", 0, "LOST").block();
            await().atMost(Duration.ofSeconds(10)).until(() -> live.stream().anyMatch(event -> "3".equals(event.id())));
            log.abandon(task.id(), FIRST).block();
            log.appendText(task.id(), SECOND, "llm: m", 0, "KEPT").block();
            await().atMost(Duration.ofSeconds(10)).until(() -> live.stream().anyMatch(event -> "5".equals(event.id())));

            // The feed started after event 2, so its window holds 3 to 5.
            List<ServerSentEvent<String>> byDefault = events(request(user, task,
                    headers -> headers.set("Last-Event-ID", "2"), "")).take(2).collectList()
                    .block(Duration.ofSeconds(30));
            List<ServerSentEvent<String>> included = events(request(user, task,
                    headers -> headers.set("Last-Event-ID", "2"), "?abandoned=include")).take(3).collectList()
                    .block(Duration.ofSeconds(30));

            assertThat(byDefault).extracting(ServerSentEvent::id).containsExactly("4", "5");
            assertThat(json.readTree(byDefault.get(1).data()).get("text").asString()).isEqualTo("KEPT");
            assertThat(included).extracting(ServerSentEvent::id).containsExactly("3", "4", "5");
            assertThat(json.readTree(included.get(0).data())).isEqualTo(json.readTree(
                    "{\"call\":\"run/5\",\"attempt\":1,\"step\":\"llm: m\",\"offset\":0,\"text\":\"LOST\","
                            + "\"abandoned\":true}"));
            assertThat(json.readTree(included.get(2).data()).has("abandoned")).isFalse();
        } finally {
            following.dispose();
        }
    }

    @Test
    void anEndedTaskWithNothingAfterTheGivenEventAnswers204() {
        TestUser user = createUser(Role.USER);
        Task task = runningTask(user);
        tasks.recordOutcome(task.id(), TaskStatus.FAILED, json.valueToTree(Map.of()), Instant.now()).block();

        request(user, task, headers -> headers.set("Last-Event-ID", "3"), "").expectStatus().isNoContent()
                .expectBody().isEmpty();
        request(user, task, headers -> { }, "?after=3").expectStatus().isNoContent();
        request(user, task, headers -> headers.set("Last-Event-ID", Long.toString(Long.MAX_VALUE)), "")
                .expectStatus().isNoContent();
        assertThat(events(request(user, task, headers -> { }, "?after=2")).collectList()
                .block(Duration.ofSeconds(30))).extracting(ServerSentEvent::id).containsExactly("3");
        // Once retention deleted its events, even its start.
        log.deleteOfTasksFinishedBefore(Instant.now().plusSeconds(60)).block();
        request(user, task, headers -> { }, "").expectStatus().isNoContent();
    }

    /**
     * Only abandoned text after the given event is nothing to send a client that did not ask for it: 204, or its
     * EventSource would reconnect from there for ever.
     */
    @Test
    void anEndedTaskWithOnlyAbandonedTextAfterTheGivenEventAnswers204UnlessItIsAskedFor() {
        TestUser user = createUser(Role.USER);
        Task task = runningTask(user);
        tasks.recordOutcome(task.id(), TaskStatus.FAILED, json.valueToTree(Map.of()), Instant.now()).block();
        // A call's text published late, after the task ended: event 4, abandoned as event 5, then more of it as 6,
        // stored abandoned since its attempt is.
        log.appendText(task.id(), FIRST, "llm: m", 0, "la").block();
        log.abandon(task.id(), FIRST).block();
        log.appendText(task.id(), FIRST, "llm: m", 2, "te").block();

        request(user, task, headers -> headers.set("Last-Event-ID", "5"), "").expectStatus().isNoContent()
                .expectBody().isEmpty();
        request(user, task, headers -> { }, "?after=5").expectStatus().isNoContent();
        List<ServerSentEvent<String>> included = events(request(user, task,
                headers -> headers.set("Last-Event-ID", "5"), "?abandoned=include")).collectList()
                .block(Duration.ofSeconds(30));
        assertThat(included).extracting(ServerSentEvent::id).containsExactly("6");
        assertThat(json.readTree(included.getFirst().data()).get("abandoned").asBoolean()).isTrue();
        assertThat(events(request(user, task, headers -> headers.set("Last-Event-ID", "3"), "")).collectList()
                .block(Duration.ofSeconds(30))).extracting(ServerSentEvent::id).containsExactly("5");
        await().atMost(Duration.ofSeconds(5)).until(() -> !stream.follows(task.id()));
    }

    @Test
    void aPositionThatIsNoEventIdIsRefusedBeforeTheStreamStarts() {
        TestUser user = createUser(Role.USER);
        Task task = runningTask(user);
        for (String after : List.of("abc", "-1", "1.5", "99999999999999999999", "0x10", "1%202")) {
            assertThat(ProblemBody.expect(request(user, task, headers -> { }, "?after=" + after), 400).detail())
                    .contains("'after'");
        }
        for (String lastEventId : List.of("abc", "-1", "9".repeat(2000), "1;2")) {
            assertThat(ProblemBody.expect(request(user, task, headers -> headers.set("Last-Event-ID", lastEventId),
                    ""), 400).detail()).contains("Last-Event-ID");
        }
        assertThat(stream.follows(task.id())).isFalse();
        // A number past the newest event finds nothing after it and waits for more.
        List<ServerSentEvent<String>> nothingYet = events(request(user, task,
                headers -> headers.set("Last-Event-ID", Long.toString(Long.MAX_VALUE)), ""))
                .take(Duration.ofSeconds(1)).collectList().block(Duration.ofSeconds(10));
        assertThat(nothingYet).isEmpty();
    }

    @Test
    void aUserCannotReadAnotherUsersStream() {
        TestUser owner = createUser(Role.USER);
        Task task = runningTask(owner);

        ProblemBody.expect(request(createUser(Role.USER), task, headers -> headers.set("Last-Event-ID", "0"),
                "?abandoned=include"), 404);
        ProblemBody.expect(request(createUser(Role.USER), task, headers -> { }, ""), 404);
        assertThat(stream.follows(task.id())).isFalse();
        // A viewer and an admin may read every task's events, as they may see every task.
        for (TestUser reader : List.of(createUser(Role.VIEWER), admin())) {
            assertThat(events(request(reader, task, headers -> { }, "")).take(2).collectList()
                    .block(Duration.ofSeconds(30))).extracting(ServerSentEvent::id).containsExactly("1", "2");
        }
    }

    @Test
    void aRunningTaskShowsTheAnswerSoFarOfItsNewestModelCall() {
        TestUser user = createUser(Role.USER);
        Task task = runningTask(user);
        assertThat(view(user, task).has("answerSoFar")).isFalse();

        log.appendText(task.id(), FIRST, "llm: gpt-4o", 0, "Lost").block();
        log.abandon(task.id(), FIRST).block();
        log.appendText(task.id(), SECOND, "llm: gpt-4o", 0, "Hello, ").block();
        log.appendText(task.id(), SECOND, "llm: gpt-4o", 7, "world").block();

        assertThat(view(user, task).get("answerSoFar")).isEqualTo(json.readTree(
                "{\"step\":\"llm: gpt-4o\",\"call\":\"run/5\",\"attempt\":2,\"text\":\"Hello, world\"}"));
        tasks.recordOutcome(task.id(), TaskStatus.COMPLETED, json.valueToTree(Map.of()), Instant.now()).block();
        assertThat(view(user, task).has("answerSoFar")).isFalse();
    }

    private JsonNode view(TestUser user, Task task) {
        return web.get().uri("/api/v1/tasks/{id}", task.id()).headers(headers -> headers.setBearerAuth(user.token()))
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    /** A subscriber that takes a few events and then nothing until told to read on. */
    private static final class SlowSubscriber extends BaseSubscriber<ServerSentEvent<Object>> {

        final List<ServerSentEvent<Object>> received = new CopyOnWriteArrayList<>();
        final int first;
        volatile boolean completed;

        SlowSubscriber(int first) {
            this.first = first;
        }

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            request(first);
        }

        @Override
        protected void hookOnNext(ServerSentEvent<Object> event) {
            received.add(event);
        }

        @Override
        protected void hookOnComplete() {
            completed = true;
        }

        void readOn() {
            requestUnbounded();
        }
    }

    private Flux<ServerSentEvent<String>> events(WebTestClient.ResponseSpec response) {
        return response.expectStatus().isOk().returnResult(EVENTS).getResponseBody()
                .filter(event -> event.event() != null);
    }

    private WebTestClient.ResponseSpec request(TestUser user, Task task, Consumer<HttpHeaders> headers,
            String query) {
        return web.get().uri("/api/v1/tasks/" + task.id() + "/events" + query)
                .headers(h -> h.setBearerAuth(user.token())).headers(headers)
                .accept(MediaType.TEXT_EVENT_STREAM).exchange();
    }

    private Task runningTask(TestUser owner) {
        Task task = tasks.insert(new NewTask(owner.id(), "tool", json.valueToTree(Map.of("server", "s", "tool", "t")),
                TaskPriority.NORMAL, 600, null, "h")).block().task();
        tasks.markRunning(task.id(), Instant.now()).block();
        return task;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
