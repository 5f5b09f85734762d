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
import dev.keiko.workflows.task.TaskTypes;
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
 * {@link TaskEventLog#appendText} as fast as the log accepts it, {@link #APPENDS_IN_FLIGHT} appends at a time, each
 * text being the {@link System#nanoTime()} at which its append was called; the clients (Reactor Netty on one
 * connection pool) note when each event arrives. Lag is from the call to {@code appendText} to the arrival.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StreamingBenchmark {

    static final int SUBSCRIBERS = 100;
    /** {@code keiko.api.max-streams-per-user}'s default: the subscribers are this many to a user. */
    static final int STREAMS_PER_USER = 5;
    static final int APPENDS_IN_FLIGHT = 4;
    static final Duration WARM_UP = Duration.ofSeconds(3);
    static final Duration MEASURED = Duration.ofSeconds(10);
    static final int FIRST_EVENT_WARM_UP_TASKS = 3;
    static final int FIRST_EVENT_TASKS = 20;
    private static final Duration STREAM_END_TIMEOUT = Duration.ofMinutes(5);

    record Latency(int samples, double p50Ms, double p95Ms, double maxMs) {

        static Latency of(long[] nanos) {
            long[] sorted = LongStream.of(nanos).sorted().toArray();
            return new Latency(sorted.length, ms(sorted, 0.50), ms(sorted, 0.95), ms(sorted, 1.0));
        }

        private static double ms(long[] sorted, double quantile) {
            int index = (int) Math.ceil(quantile * sorted.length) - 1;
            return Math.round(sorted[Math.max(0, index)] / 10_000.0) / 100.0;
        }
    }

    record FanOut(int tasks, int subscribers, int appendsInFlight, double appendedPerSecond,
            double deliveriesPerSecond, Latency lag, long gaps, long duplicates, long outOfOrder, long behindNotices,
            double lastArrivalAfterWriterStoppedMs) {}

    record FirstEvent(int tasks, int warmUpTasksLeftOut, Latency firstChunkToFirstEvent) {}

    record Machine(int cores, String cpu, String os, String jvm, long testJvmMaxHeapMiB, String workerJvmMaxHeap) {}

    private record Appended(UUID taskId, long seq, long stamp) {}

    static DevSystem system;
    static ConnectionProvider connections;
    static WebClient client;
    static final Map<String, Object> figures = new LinkedHashMap<>();

    @BeforeAll
    static void start() {
        system = DevSystem.shared();
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
        String table = markdown(machine);
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
        List<EventWatcher> watchers = new ArrayList<>();
        for (int user = 0; user < SUBSCRIBERS / STREAMS_PER_USER; user++) {
            TestUser viewer = system.user(Role.VIEWER); // a viewer sees every task
            for (int stream = 0; stream < STREAMS_PER_USER; stream++) {
                watchers.add(EventWatcher.watch(client, viewer, task));
            }
        }
        FanOut figure = fanOut(List.of(task), watchers);
        figures.put("oneTaskHundredSubscribers", figure);
        assertDeliveredEverythingOnceInOrder(figure);
    }

    @Test
    @Order(2)
    void aHundredTasksWithOneSubscriberEach() throws Exception {
        List<UUID> tasks = new ArrayList<>();
        List<EventWatcher> watchers = new ArrayList<>();
        for (int user = 0; user < SUBSCRIBERS / STREAMS_PER_USER; user++) {
            TestUser owner = system.user(Role.USER);
            for (int stream = 0; stream < STREAMS_PER_USER; stream++) {
                UUID task = runningTask(owner);
                tasks.add(task);
                watchers.add(EventWatcher.watch(client, owner, task));
            }
        }
        FanOut figure = fanOut(tasks, watchers);
        figures.put("hundredTasksOneSubscriberEach", figure);
        assertDeliveredEverythingOnceInOrder(figure);
    }

    /** Completion tasks one after another against {@link StreamingModelFake}, each watched from its start. */
    @Test
    @Order(3)
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
            assertThat(connectedAt).as("the client was listening before the model's first chunk").isLessThan(firstChunk);
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
    private static FanOut fanOut(List<UUID> tasks, List<EventWatcher> watchers) throws Exception {
        for (EventWatcher watcher : watchers) {
            watcher.connectedAt(Duration.ofSeconds(30));
        }
        long from = System.nanoTime() + WARM_UP.toNanos();
        long to = from + MEASURED.toNanos();
        List<Appended> appended = append(tasks, to);
        long writerStopped = System.nanoTime();
        TaskStore store = system.api.getBean(TaskStore.class);
        JsonMapper json = system.api.getBean(JsonMapper.class);
        for (UUID task : tasks) {
            store.recordOutcome(task, TaskStatus.CANCELLED, json.valueToTree(Map.of("success", false,
                    "error", Map.of("type", "Cancelled", "message", "The benchmark is over"))), Instant.now()).block();
        }
        Map<UUID, BitSet> appendedSeqs = new HashMap<>();
        appended.forEach(a -> appendedSeqs.computeIfAbsent(a.taskId(), id -> new BitSet()).set((int) a.seq()));
        long appendedInWindow = appended.stream().filter(a -> a.stamp() >= from && a.stamp() < to).count();

        LongStream.Builder lags = LongStream.builder();
        long deliveries = 0;
        long gaps = 0;
        long duplicates = 0;
        long outOfOrder = 0;
        long behind = 0;
        long lastArrival = writerStopped;
        for (EventWatcher watcher : watchers) {
            BitSet seen = new BitSet();
            long lastSeq = 0;
            for (Receipt receipt : watcher.ended(STREAM_END_TIMEOUT)) {
                if ("behind".equals(receipt.event())) {
                    behind++;
                }
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
            BitSet missing = (BitSet) appendedSeqs.get(watcher.taskId).clone();
            missing.andNot(seen);
            BitSet unknown = (BitSet) seen.clone();
            unknown.andNot(appendedSeqs.get(watcher.taskId));
            gaps += missing.cardinality() + unknown.cardinality();
        }
        double seconds = MEASURED.toNanos() / 1e9;
        return new FanOut(tasks.size(), watchers.size(), APPENDS_IN_FLIGHT, Math.round(appendedInWindow / seconds),
                Math.round(deliveries / seconds), Latency.of(lags.build().toArray()), gaps, duplicates, outOfOrder,
                behind, (lastArrival - writerStopped) / 1_000_000.0);
    }

    /** Appends text round robin over the tasks until {@code until}, each text the nanoTime it was appended at. */
    private static List<Appended> append(List<UUID> tasks, long until) {
        TaskEventLog log = system.api.getBean(TaskEventLog.class);
        ModelCallAttempt call = new ModelCallAttempt("benchmark/" + UUID.randomUUID(), 1);
        AtomicLong next = new AtomicLong();
        return Flux.<Long>generate(sink -> sink.next(next.getAndIncrement()))
                .takeWhile(number -> System.nanoTime() < until)
                .flatMap(number -> {
                    UUID task = tasks.get((int) (number % tasks.size()));
                    int offset = (int) (number / tasks.size()) * 19;
                    long stamp = System.nanoTime();
                    return log.appendText(task, call, "benchmark", offset, "%019d".formatted(stamp))
                            .map(seq -> new Appended(task, seq, stamp));
                }, APPENDS_IN_FLIGHT)
                .collectList().block();
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
                .bodyValue(Map.of("type", "completion", "parameters", Map.of("prompt", prompt, "provider", "openai")))
                .exchange().expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody();
        return UUID.fromString((String) task.get("id"));
    }

    private static void assertDeliveredEverythingOnceInOrder(FanOut figure) {
        assertThat(figure.gaps()).as("events missed or unknown").isZero();
        assertThat(figure.duplicates()).as("events received twice").isZero();
        assertThat(figure.outOfOrder()).as("events received out of order").isZero();
    }

    private static String markdown(Machine machine) {
        StringBuilder table = new StringBuilder("\n## Streaming figures\n\n");
        table.append("Machine: %d cores (%s), %s, %s; test JVM (API, writer, clients, model fake) max heap %d MiB,"
                .formatted(machine.cores(), machine.cpu(), machine.os(), machine.jvm(), machine.testJvmMaxHeapMiB()))
                .append(" worker JVM max heap ").append(machine.workerJvmMaxHeap()).append(".\n\n");
        table.append("| figure | tasks | subscribers | appended/s | deliveries/s | lag p50 | lag p95 | lag max | gaps"
                + " | duplicates | out of order | behind notices | last arrival after writer stopped |\n");
        table.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        figures.forEach((name, figure) -> {
            if (figure instanceof FanOut f) {
                table.append("| %s | %d | %d | %.0f | %.0f | %.1f ms | %.1f ms | %.1f ms | %d | %d | %d | %d | %.0f ms |\n"
                        .formatted(name, f.tasks(), f.subscribers(), f.appendedPerSecond(), f.deliveriesPerSecond(),
                                f.lag().p50Ms(), f.lag().p95Ms(), f.lag().maxMs(), f.gaps(), f.duplicates(),
                                f.outOfOrder(), f.behindNotices(), f.lastArrivalAfterWriterStoppedMs()));
            }
        });
        table.append("\nWriter: %d appends in flight, %d s warm-up then %d s measured; lag from the call to appendText"
                .formatted(APPENDS_IN_FLIGHT, WARM_UP.toSeconds(), MEASURED.toSeconds()))
                .append(" to the client's receipt, over the events appended in the measured window.\n");
        if (figures.get("firstChunkToFirstEvent") instanceof FirstEvent f) {
            table.append("\n| figure | tasks | p50 | p95 | max |\n|---|---:|---:|---:|---:|\n")
                    .append("| model's first chunk → client's first text event | %d (after %d left out) | %.1f ms"
                            .formatted(f.tasks(), f.warmUpTasksLeftOut(), f.firstChunkToFirstEvent().p50Ms()))
                    .append(" | %.1f ms | %.1f ms |\n".formatted(f.firstChunkToFirstEvent().p95Ms(),
                            f.firstChunkToFirstEvent().maxMs()));
        }
        return table.toString();
    }

    private static Machine machine() throws Exception {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(line -> line.startsWith("model name")).findFirst()
                .map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse("unknown");
        return new Machine(Runtime.getRuntime().availableProcessors(), cpu,
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.vm.name") + " " + Runtime.version(),
                Runtime.getRuntime().maxMemory() / (1024 * 1024), "512m (WorkerProcess starts it with -Xmx512m)");
    }
}
