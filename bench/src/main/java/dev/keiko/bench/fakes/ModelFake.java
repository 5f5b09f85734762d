package dev.keiko.bench.fakes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An OpenAI-compatible model in the bench JVM ({@code POST /v1/chat/completions}, streamed as
 * {@code chat.completion.chunk} server-sent events when the request asks for {@code stream: true}, whole JSON
 * otherwise), answering after {@link #latency(Duration) a latency} along an {@link AgentScript}: a tool call per answer
 * while the conversation holds fewer tool answers than the script's calls, then a final text. A request names its task
 * with a {@link #marker} in its prompt; the fake records when each marked request arrived, when it answered, and when a
 * held request's caller went away ({@link #holdRequests}). {@link #failures} injects refusals (status, Retry-After)
 * and slow answers; {@link #answers} says how each marked request was answered and when.
 */
public final class ModelFake implements AutoCloseable {

    public static final String MODEL = "bench-model";
    private static final Pattern MARKER = Pattern.compile("bench-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Duration HOLD_PING = Duration.ofMillis(20);

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final JsonMapper json = JsonMapper.builder().build();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final Map<String, Queue<Long>> arrivals = new ConcurrentHashMap<>();
    private final Map<String, Long> callerLeftAt = new ConcurrentHashMap<>();
    private final Map<String, Queue<Answer>> answers = new ConcurrentHashMap<>();
    private volatile Duration latency = Duration.ZERO;
    private volatile AgentScript script = AgentScript.answerOnly("Done.");
    private volatile FailureInjector failures = request -> null;
    private volatile CompletableFuture<Void> hold = CompletableFuture.completedFuture(null);
    private volatile Duration holdPing = HOLD_PING;

    private ModelFake(HttpServer server) {
        this.server = server;
    }

    public static ModelFake start() {
        // The JDK's server leaves Nagle's algorithm on unless told otherwise (read once, when its first server is
        // made): each streamed event after the first would then wait up to ~40 ms for the caller's delayed ACK.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1000);
            ModelFake fake = new ModelFake(server);
            server.createContext("/", fake::answer);
            server.setExecutor(fake.executor);
            server.start();
            return fake;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The marker a task's prompt carries so that the fake can tell its requests apart. */
    public static String marker(java.util.UUID id) {
        return "bench-" + id;
    }

    /** Its OpenAI-style base URL, for {@code keiko.llm.openai.base-url}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** How long it waits before answering each request. */
    public ModelFake latency(Duration latency) {
        this.latency = latency;
        return this;
    }

    public ModelFake script(AgentScript script) {
        this.script = script;
        return this;
    }

    /** Decides per request whether it is refused instead; null answers as scripted. */
    public ModelFake failures(FailureInjector failures) {
        this.failures = failures;
        return this;
    }

    /**
     * Holds every request from now on (after its latency) until {@link #release()}, sending a comment every 20 ms on
     * a streamed answer so that it notices when its caller goes away ({@link #callerLeftAt}).
     */
    public ModelFake holdRequests() {
        hold = new CompletableFuture<>();
        return this;
    }

    /**
     * How often a held streamed answer sends its comment (20 ms unless set): rarer pings cost less when thousands
     * are held, and notice a caller's leaving later.
     */
    public ModelFake holdPing(Duration every) {
        this.holdPing = every;
        return this;
    }

    /** Lets every held request answer. */
    public void release() {
        hold.complete(null);
    }

    public long requests() {
        return requests.get();
    }

    public long answered() {
        return answered.get();
    }

    /** When ({@link System#nanoTime()}) each request carrying {@code marker} arrived, in order. */
    public List<Long> arrivals(String marker) {
        Queue<Long> times = arrivals.get(marker);
        return times == null ? List.of() : List.copyOf(times);
    }

    /** How each request carrying {@code marker} was answered, in the order the answers were sent. */
    public List<Answer> answers(String marker) {
        Queue<Answer> sent = answers.get(marker);
        return sent == null ? List.of() : List.copyOf(sent);
    }

    /** When ({@link System#nanoTime()}) the caller of a held request carrying {@code marker} went away; null if not. */
    public Long callerLeftAt(String marker) {
        return callerLeftAt.get(marker);
    }

    /** Forgets what it recorded (not its settings). */
    public void reset() {
        requests.set(0);
        answered.set(0);
        arrivals.clear();
        callerLeftAt.clear();
        answers.clear();
    }

    private void answer(HttpExchange exchange) throws IOException {
        long arrived = System.nanoTime();
        try (exchange) {
            requests.incrementAndGet();
            byte[] body = exchange.getRequestBody().readAllBytes();
            String text = new String(body, StandardCharsets.UTF_8);
            Matcher found = MARKER.matcher(text);
            String marker = found.find() ? found.group() : null;
            if (marker != null) {
                arrivals.computeIfAbsent(marker, m -> new ConcurrentLinkedQueue<>()).add(arrived);
            }
            if (!exchange.getRequestMethod().equals("POST") || !exchange.getRequestURI().getPath()
                    .endsWith("/chat/completions")) {
                send(exchange, 404, "application/json", "{\"error\":{\"message\":\"not found\"}}");
                return;
            }
            JsonNode request = json.readTree(body);
            int toolAnswers = 0;
            for (JsonNode message : request.path("messages")) {
                if ("tool".equals(message.path("role").asString(""))) {
                    toolAnswers++;
                }
            }
            Request seen = new Request(marker, toolAnswers, arrived);
            sleep(latency);
            Failure failure = failures.decide(seen);
            if (failure != null && failure.status() == Failure.SLOW) {
                sleep(failure.delay());
                record(marker, Failure.SLOW);
            } else if (failure != null) {
                sleep(failure.delay());
                if (failure.retryAfterSeconds() != null) {
                    exchange.getResponseHeaders().set("Retry-After", Long.toString(failure.retryAfterSeconds()));
                }
                send(exchange, failure.status(), "application/json",
                        "{\"error\":{\"message\":\"injected failure\",\"type\":\"bench\"}}");
                record(marker, failure.status());
                return;
            }
            AgentScript current = script;
            boolean callsTool = toolAnswers < current.toolCalls();
            String arguments = callsTool ? current.arguments(marker, toolAnswers) : null;
            boolean stream = request.path("stream").asBoolean(false);
            if (stream) {
                exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                if (!awaitRelease(out, marker)) {
                    return;
                }
                event(out, chunk(Map.of("role", "assistant", "content", ""), null));
                if (callsTool) {
                    event(out, chunk(Map.of("tool_calls", List.of(toolCall(current, toolAnswers, arguments, true))),
                            null));
                    event(out, chunk(Map.of(), "tool_calls"));
                } else {
                    event(out, chunk(Map.of("content", current.answer()), null));
                    event(out, chunk(Map.of(), "stop"));
                }
                Map<String, Object> usage = new LinkedHashMap<>(base("chat.completion.chunk"));
                usage.put("choices", List.of());
                usage.put("usage", usage());
                event(out, json.writeValueAsString(usage));
                event(out, "[DONE]");
                answered.incrementAndGet();
                if (failure == null) {
                    record(marker, 200);
                }
            } else {
                if (!awaitRelease(null, marker)) {
                    return;
                }
                Map<String, Object> message = new LinkedHashMap<>();
                message.put("role", "assistant");
                message.put("content", callsTool ? null : current.answer());
                if (callsTool) {
                    message.put("tool_calls", List.of(toolCall(current, toolAnswers, arguments, false)));
                }
                Map<String, Object> whole = new LinkedHashMap<>(base("chat.completion"));
                Map<String, Object> choice = new LinkedHashMap<>();
                choice.put("index", 0);
                choice.put("finish_reason", callsTool ? "tool_calls" : "stop");
                choice.put("message", message);
                whole.put("choices", List.of(choice));
                whole.put("usage", usage());
                send(exchange, 200, "application/json", json.writeValueAsString(whole));
                answered.incrementAndGet();
                if (failure == null) {
                    record(marker, 200);
                }
            }
        } catch (IOException callerLeft) {
            // The caller closed the connection (a cancelled call): nothing more to send.
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }

    private void record(String marker, int status) {
        if (marker != null) {
            answers.computeIfAbsent(marker, m -> new ConcurrentLinkedQueue<>())
                    .add(new Answer(status, System.nanoTime()));
        }
    }

    /** Waits for {@link #release()} while held; answers false when the caller went away meanwhile. */
    private boolean awaitRelease(OutputStream out, String marker) throws InterruptedException {
        CompletableFuture<Void> gate = hold;
        while (!gate.isDone()) {
            try {
                gate.get(holdPing.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException stillHeld) {
                if (out != null) {
                    try {
                        out.write(": held\n\n".getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    } catch (IOException callerLeft) {
                        if (marker != null) {
                            callerLeftAt.putIfAbsent(marker, System.nanoTime());
                        }
                        return false;
                    }
                }
            } catch (java.util.concurrent.ExecutionException e) {
                return true;
            }
        }
        return true;
    }

    private Map<String, Object> toolCall(AgentScript current, int step, String arguments, boolean indexed) {
        Map<String, Object> call = new LinkedHashMap<>();
        if (indexed) {
            call.put("index", 0);
        }
        call.put("id", "call_" + step);
        call.put("type", "function");
        call.put("function", Map.of("name", current.function(), "arguments", arguments));
        return call;
    }

    private String chunk(Map<String, Object> delta, String finishReason) {
        Map<String, Object> chunk = new LinkedHashMap<>(base("chat.completion.chunk"));
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("delta", delta);
        choice.put("finish_reason", finishReason);
        chunk.put("choices", List.of(choice));
        return json.writeValueAsString(chunk);
    }

    private static Map<String, Object> base(String object) {
        Map<String, Object> base = new LinkedHashMap<>();
        base.put("id", "chatcmpl-bench");
        base.put("object", object);
        base.put("created", 1764150000);
        base.put("model", MODEL);
        return base;
    }

    private static Map<String, Object> usage() {
        return Map.of("prompt_tokens", 20, "completion_tokens", 5, "total_tokens", 25);
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void sleep(Duration duration) throws InterruptedException {
        if (duration != null && !duration.isZero()) {
            Thread.sleep(duration);
        }
    }

    @Override
    public void close() {
        hold.complete(null);
        server.stop(0);
        executor.shutdownNow();
    }

    /** What the fake knows of a request when it decides how to answer it. */
    public record Request(String marker, int toolAnswers, long arrivedAtNanos) {
    }

    /**
     * An injected refusal: {@code status} after {@code delay}, with {@code Retry-After} when not null; or, with status
     * {@link #SLOW}, the scripted answer sent after {@code delay}.
     */
    public record Failure(int status, Long retryAfterSeconds, Duration delay) {

        /** Not an HTTP status: the answer is the scripted one, late. */
        public static final int SLOW = 0;

        public static Failure slow(Duration delay) {
            return new Failure(SLOW, null, delay);
        }
    }

    /**
     * How a marked request was answered: its status ({@link Failure#SLOW} for a late answer, whether or not its caller
     * was still there to read it), and when the answer was sent ({@link System#nanoTime()}, after its last byte).
     */
    public record Answer(int status, long sentAtNanos) {
    }

    @FunctionalInterface
    public interface FailureInjector {
        /** The refusal for this request, or null to answer it as scripted. */
        Failure decide(Request request);
    }

    /**
     * What the model answers: {@code toolCalls} answers each asking for one call of {@code function} (Keiko names a
     * tool {@code <server>__<tool>}) with {@code arguments(marker, step)}, then {@code answer}.
     */
    public record AgentScript(int toolCalls, String function, Arguments arguments, String answer) {

        public static AgentScript answerOnly(String answer) {
            return new AgentScript(0, "none", (marker, step) -> "{}", answer);
        }

        String arguments(String marker, int step) {
            return arguments.of(marker, step);
        }

        @FunctionalInterface
        public interface Arguments {
            /** The JSON object of arguments of the call at {@code step} (0-based) for the task of {@code marker}. */
            String of(String marker, int step);
        }
    }

    /** Lists the markers seen, for reports. */
    public List<String> markers() {
        return new ArrayList<>(arrivals.keySet());
    }
}
