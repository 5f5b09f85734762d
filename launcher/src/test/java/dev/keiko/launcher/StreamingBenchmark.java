package dev.keiko.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.domain.task.NewTask;
import dev.keiko.domain.task.TaskPriority;
import dev.keiko.domain.task.TaskStatus;
import dev.keiko.domain.task.TaskStore;
import dev.keiko.domain.task.event.ModelCallAttempt;
import dev.keiko.domain.task.event.TaskEventLog;
import dev.keiko.domain.user.Role;
import dev.keiko.launcher.DevSystem.TestUser;
import dev.keiko.launcher.EventWatcher.Receipt;
import dev.keiko.launcher.StreamingFigures.FanOut;
import dev.keiko.launcher.StreamingFigures.FirstEvent;
import dev.keiko.launcher.StreamingFigures.Latency;
import dev.keiko.launcher.StreamingFigures.Machine;
import dev.keiko.workflows.task.TaskTypes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 10's figures, measured on {@link DevSystem}: how many events per second one API process delivers to 100
 * subscribers of one task and to 100 tasks with one subscriber each, and how long the model's first chunk takes to
 * reach a client as its first {@code text} event. Prints a Markdown table and writes
 * {@code target/benchmarks/streaming.json}. Not part of the normal test run; run it with
 * {@code ./mvnw -B -o -pl launcher -am verify -Dtest=StreamingBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 *
 * <p>The fan-out tasks are rows inserted through {@link TaskStore} and marked running, with no workflow: the stream
 * needs only a task that has not ended, and the worker stays idle. A writer in the API's JVM appends text through
 * {@link TaskEventLog#appendText}, {@link #APPENDS_IN_FLIGHT} appends at a time, as fast as the log takes them or at
 * a fixed rate, each text being the {@link System#nanoTime()} at which its append was called; the clients (Reactor
 * Netty on one connection pool) note when each event arrives. Lag is from the call to {@code appendText} to the
 * arrival. Every subscriber must receive every event once and in order. The tasks end after the writer stops, which
 * ends their streams.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StreamingBenchmark {

    static final int SUBSCRIBERS = 100;
    /** {@code keiko.api.max-streams-per-user}'s default: the subscribers are this many to a user. */
    static final int STREAMS_PER_USER = 5;
    static final int APPENDS_IN_FLIGHT = 4;
    static final Duration WARM_UP = Duration.ofSeconds(5);
    static final Duration MEASURED = Duration.ofSeconds(10);
    /** One streaming model call's pace: its activity publishes text every 50 ms. */
    static final int ONE_MODEL_CALL_RATE = 20;
    /** A fixed rate for 100 tasks: 5 events a second each. */
    static final int HUNDRED_TASKS_RATE = 500;
    static final int FIRST_EVENT_WARM_UP_TASKS = 3;
    static final int FIRST_EVENT_TASKS = 20;
    private static final Duration STREAM_END_TIMEOUT = Duration.ofMinutes(5);
    private static final String WRITER = ("Writer: max = as fast as the log takes appends, %d in flight; %d s warm-up,"
            + " then %d s measured. Lag: from the call to appendText to the client's receipt; append: from that call to"
            + " its answer; both over the events appended in the measured window. Deliveries/s: receipts in that"
            + " window.")
            .formatted(APPENDS_IN_FLIGHT, WARM_UP.toSeconds(), MEASURED.toSeconds());

    private record Appended(UUID taskId, long seq, long stamp, long committedAt) {}

    static DevSystem system;
    static ConnectionProvider connections;
    static WebClient client;
    static final Map<String, Object> figures = new LinkedHashMap<>();
    static String loadAverageAtStart;

    @BeforeAll
    static void start() {
        system = DevSystem.shared();
        loadAverageAtStart = loadAverage();
        connections = ConnectionProvider.builder("benchmark-clients").maxConnections(SUBSCRIBERS + 10)
                .pendingAcquireMaxCount(-1).build();
        client = WebClient.builder()
                .baseUrl("http://localhost:" + system.api.getEnvironment().getProperty("local.server.port"))
                .clientConnector(new ReactorClientHttpConnector(HttpClient.create(connections)))
                .build();
    }

    @AfterAll
    static void report() throws Exception {
        connections.dispose();
        Machine machine = machine();
        String table = StreamingFigures.markdown(machine, figures, WRITER);
        System.out.println(table);
        Path json = Path.of("target", "benchmarks", "streaming.json");
        Files.createDirectories(json.getParent());
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("measuredAt", Instant.now().toString());
        report.put("machine", machine);
        report.put("figures", figures);
        JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), report);
        Files.writeString(Path.of("target", "benchmarks", "streaming.md"), table);
    }

    @Test
    @Order(1)
    void oneTaskWithAHundredSubscribers() throws Exception {
        UUID task = runningTask(system.user(Role.USER));
        FanOut figure = fanOut(List.of(task), hundredViewersOf(task), 0);
        figures.put("oneTaskHundredSubscribers", figure);
        assertDeliveredEverythingOnceInOrder(figure);

        UUID paced = runningTask(system.user(Role.USER));
        FanOut atModelPace = fanOut(List.of(paced), hundredViewersOf(paced), ONE_MODEL_CALL_RATE);
        figures.put("oneTaskHundredSubscribersAtModelPace", atModelPace);
        assertDeliveredEverythingOnceInOrder(atModelPace);
    }

    @Test
    @Order(2)
    void aHundredTasksWithOneSubscriberEach() throws Exception {
        List<EventWatcher> watchers = hundredTasksWatchedByTheirOwners();
        FanOut figure = fanOut(watchers.stream().map(EventWatcher::taskId).toList(), watchers, 0);
        figures.put("hundredTasksOneSubscriberEach", figure);
        assertDeliveredEverythingOnceInOrder(figure);

        List<EventWatcher> paced = hundredTasksWatchedByTheirOwners();
        FanOut atModelPace = fanOut(paced.stream().map(EventWatcher::taskId).toList(), paced,
                HUNDRED_TASKS_RATE);
        figures.put("hundredTasksOneSubscriberEachPaced", atModelPace);
        assertDeliveredEverythingOnceInOrder(atModelPace);
    }

    /** What the writer does alone, with nobody watching: the rate the log accepts. */
    @Test
    @Order(3)
    void writerAlone() throws Exception {
        TestUser owner = system.user(Role.USER);
        figures.put("oneTaskNoSubscribers", fanOut(List.of(runningTask(owner)), List.of(), 0));
        List<UUID> tasks = new ArrayList<>();
        for (int task = 0; task < SUBSCRIBERS; task++) {
            tasks.add(runningTask(owner));
        }
        figures.put("hundredTasksNoSubscribers", fanOut(tasks, List.of(), 0));
    }

    /** Completion tasks one after another against {@link StreamingModelFake}, each watched from its start. */
    @Test
    @Order(4)
    void firstChunkToFirstEvent() throws Exception {
        TestUser user = system.user(Role.USER);
        List<Long> samples = new ArrayList<>();
        for (int task = 0; task < FIRST_EVENT_WARM_UP_TASKS + FIRST_EVENT_TASKS; task++) {
            String marker = StreamingModelFake.marker(UUID.randomUUID());
            UUID id = submitCompletion(user, "Say thirty words. " + marker);
            EventWatcher watcher = EventWatcher.watch(client, user, id);
            long connectedAt = watcher.connectedAt(Duration.ofSeconds(30));
            List<Receipt> receipts = watcher.ended(Duration.ofSeconds(60));
            Long firstChunk = DevSystem.STREAMING_MODEL.firstChunkFlushedAt(marker);
            assertThat(firstChunk).as("the model's first chunk for task %s", id).isNotNull();
            assertThat(connectedAt).as("the client listened before the model's first chunk").isLessThan(firstChunk);
            assertThat(receipts.getLast().data()).contains("\"status\":\"completed\"");
            long firstText = receipts.stream().filter(receipt -> "text".equals(receipt.event())).findFirst()
                    .orElseThrow(() -> new AssertionError("No text event for task " + id)).arrivedAt();
            if (task >= FIRST_EVENT_WARM_UP_TASKS) {
                samples.add(firstText - firstChunk);
            }
        }
        figures.put("firstChunkToFirstEvent", new FirstEvent(FIRST_EVENT_TASKS, FIRST_EVENT_WARM_UP_TASKS,
                Latency.of(samples.stream().mapToLong(Long::longValue).toArray())));
    }

    /**
     * Appends for {@link #WARM_UP} plus {@link #MEASURED} once every watcher is listening, then ends the tasks and
     * reads what each watcher received: rates and lag over the measured window, checks over everything.
     */
    private static FanOut fanOut(List<UUID> tasks, List<EventWatcher> watchers, int writerRate) throws Exception {
        for (EventWatcher watcher : watchers) {
            watcher.connectedAt(Duration.ofSeconds(30));
        }
        long from = System.nanoTime() + WARM_UP.toNanos();
        long to = from + MEASURED.toNanos();
        List<Appended> appended = append(tasks, to, writerRate);
        long writerStopped = System.nanoTime();
        TaskStore store = system.api.getBean(TaskStore.class);
        JsonMapper json = system.api.getBean(JsonMapper.class);
        for (UUID task : tasks) {
            store.recordOutcome(task, TaskStatus.CANCELLED, json.valueToTree(Map.of("success", false,
                    "error", Map.of("type", "Cancelled", "message", "The benchmark is over"))), Instant.now()).block();
        }
        Map<UUID, BitSet> appendedSeqs = new HashMap<>();
        appended.forEach(a -> appendedSeqs.computeIfAbsent(a.taskId(), id -> new BitSet()).set((int) a.seq()));
        long[] appendLatencies = appended.stream().filter(a -> a.stamp() >= from && a.stamp() < to)
                .mapToLong(a -> a.committedAt() - a.stamp()).toArray();

        Tally tally = new Tally(from, to, writerStopped);
        for (EventWatcher watcher : watchers) {
            tally.add(watcher.ended(STREAM_END_TIMEOUT), appendedSeqs.get(watcher.taskId()));
        }
        double seconds = MEASURED.toNanos() / 1e9;
        return new FanOut(tasks.size(), watchers.size(), writerRate, Math.round(appendLatencies.length / seconds),
                Latency.of(appendLatencies), Math.round(tally.deliveries / seconds),
                Latency.of(tally.lags.build().toArray()), tally.gaps, tally.duplicates, tally.outOfOrder, tally.behind,
                (tally.lastArrival - writerStopped) / 1_000_000.0);
    }

    /** What the watchers received, against what was appended; lag and deliveries in the window {@code [from, to)}. */
    private static final class Tally {

        final long from;
        final long to;
        final LongStream.Builder lags = LongStream.builder();
        long deliveries;
        long gaps;
        long duplicates;
        long outOfOrder;
        long behind;
        long lastArrival;

        Tally(long from, long to, long writerStopped) {
            this.from = from;
            this.to = to;
            this.lastArrival = writerStopped;
        }

        void add(List<Receipt> receipts, BitSet appended) {
            BitSet seen = new BitSet();
            int lastSeq = 0;
            for (Receipt receipt : receipts) {
                behind += "behind".equals(receipt.event()) ? 1 : 0;
                if (!"text".equals(receipt.event())) {
                    continue;
                }
                int seq = (int) receipt.seq();
                if (seen.get(seq)) {
                    duplicates++;
                } else if (seq < lastSeq) {
                    outOfOrder++;
                }
                seen.set(seq);
                lastSeq = Math.max(lastSeq, seq);
                long stamp = Long.parseLong(receipt.text());
                if (stamp >= from && stamp < to) {
                    lags.add(receipt.arrivedAt() - stamp);
                }
                if (receipt.arrivedAt() >= from && receipt.arrivedAt() < to) {
                    deliveries++;
                }
                lastArrival = Math.max(lastArrival, receipt.arrivedAt());
            }
            BitSet missed = (BitSet) appended.clone();
            missed.andNot(seen);
            seen.andNot(appended);
            gaps += missed.cardinality() + seen.cardinality(); // missed, or never appended
        }
    }

    /**
     * Appends text round robin over the tasks until {@code until}, {@code rate} a second or (0) as fast as the log
     * takes it; each text is the nanoTime its append was called at.
     */
    private static List<Appended> append(List<UUID> tasks, long until, int rate) {
        TaskEventLog log = system.api.getBean(TaskEventLog.class);
        ModelCallAttempt call = new ModelCallAttempt("benchmark/" + UUID.randomUUID(), 1);
        AtomicLong next = new AtomicLong();
        Flux<Long> numbers = rate == 0 ? Flux.generate(sink -> sink.next(next.getAndIncrement()))
                : Flux.interval(Duration.ofNanos(1_000_000_000L / rate)).onBackpressureBuffer();
        return numbers
                .takeWhile(number -> System.nanoTime() < until)
                .flatMap(number -> {
                    UUID task = tasks.get((int) (number % tasks.size()));
                    int offset = (int) (number / tasks.size()) * 19;
                    long stamp = System.nanoTime();
                    return log.appendText(task, call, "benchmark", offset, "%019d".formatted(stamp))
                            .map(seq -> new Appended(task, seq, stamp, System.nanoTime()));
                }, APPENDS_IN_FLIGHT)
                .collectList().block();
    }

    /** 100 streams of the task, 5 to a viewer (who sees every task). */
    private static List<EventWatcher> hundredViewersOf(UUID task) {
        List<EventWatcher> watchers = new ArrayList<>();
        for (int user = 0; user < SUBSCRIBERS / STREAMS_PER_USER; user++) {
            TestUser viewer = system.user(Role.VIEWER);
            for (int stream = 0; stream < STREAMS_PER_USER; stream++) {
                watchers.add(EventWatcher.watch(client, viewer, task));
            }
        }
        return watchers;
    }

    /** 100 tasks, 5 to a user, each watched by its owner. */
    private static List<EventWatcher> hundredTasksWatchedByTheirOwners() {
        List<EventWatcher> watchers = new ArrayList<>();
        for (int user = 0; user < SUBSCRIBERS / STREAMS_PER_USER; user++) {
            TestUser owner = system.user(Role.USER);
            for (int stream = 0; stream < STREAMS_PER_USER; stream++) {
                watchers.add(EventWatcher.watch(client, owner, runningTask(owner)));
            }
        }
        return watchers;
    }

    private static UUID runningTask(TestUser owner) {
        TaskStore store = system.api.getBean(TaskStore.class);
        JsonMapper json = system.api.getBean(JsonMapper.class);
        UUID id = store.insert(new NewTask(owner.id(), TaskTypes.COMPLETION,
                json.valueToTree(Map.of("prompt", "benchmark")), TaskPriority.NORMAL, 3600, null, null))
                .block().task().id();
        store.markRunning(id, Instant.now()).block();
        return id;
    }

    private static UUID submitCompletion(TestUser user, String prompt) {
        Map<?, ?> task = system.web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, user.bearer())
                .bodyValue(Map.of("type", "completion", "parameters", Map.of("prompt", prompt, "provider", "openai",
                        "deployment", StreamingModelFake.MODEL)))
                .exchange().expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody();
        return UUID.fromString((String) task.get("id"));
    }

    private static void assertDeliveredEverythingOnceInOrder(FanOut figure) {
        assertThat(figure.gaps()).as("events missed or unknown").isZero();
        assertThat(figure.duplicates()).as("events received twice").isZero();
        assertThat(figure.outOfOrder()).as("events received out of order").isZero();
    }

    private static Machine machine() throws Exception {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(line -> line.startsWith("model name")).findFirst()
                .map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse("unknown");
        return new Machine(Runtime.getRuntime().availableProcessors(), cpu,
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.vm.name") + " " + Runtime.version(),
                Runtime.getRuntime().maxMemory() / (1024 * 1024), "512m (WorkerProcess starts it with -Xmx512m)",
                loadAverageAtStart, loadAverage());
    }

    /** The 1, 5 and 15 minute load averages: other processes on the machine share its cores. */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return String.join(" ", fields[0], fields[1], fields[2]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
