package dev.keiko.activities.mcp;

import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpServer.AsyncSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The in-JVM server's tools. */
public final class TestTools {

    public static final String CANCELLED = "cancelled";
    public static final int PROGRESS_STEPS = 3;

    private static final Map<String, Object> MESSAGE_SCHEMA = Map.of("type", "object",
            "properties", Map.of("message", Map.of("type", "string")), "required", List.of("message"));
    private static final Map<String, Object> NO_ARGUMENTS = Map.of("type", "object");

    private final McpTraffic traffic;
    private volatile CompletableFuture<String> slowStarted = new CompletableFuture<>();
    private volatile CompletableFuture<String> slowFinished = new CompletableFuture<>();

    TestTools(McpTraffic traffic) {
        this.traffic = traffic;
    }

    McpAsyncServer register(AsyncSpecification<?> server) {
        return server.serverInfo("keiko-test-server", "1.0.0")
                .capabilities(InJvmMcpServer.capabilities())
                .validateToolInputs(false)
                .tools(tool("echo", MESSAGE_SCHEMA, this::echo),
                        tool("fail", NO_ARGUMENTS, (exchange, request) -> Mono.just(CallToolResult.builder()
                                .addTextContent("the tool failed on purpose").isError(true).build())),
                        tool("structured", NO_ARGUMENTS, (exchange, request) -> Mono.just(CallToolResult.builder()
                                .addTextContent("{\"answer\":42}").structuredContent(Map.of("answer", 42)).build())),
                        tool("progress", NO_ARGUMENTS, this::progress),
                        tool("slow", NO_ARGUMENTS, this::slow))
                .build();
    }

    /** Completes when a call of {@code slow} starts. */
    public CompletableFuture<String> slowStarted() {
        return slowStarted;
    }

    /** Completes with {@link #CANCELLED} once a {@code slow} call was cancelled; it never ends otherwise. */
    public CompletableFuture<String> slowFinished() {
        return slowFinished;
    }

    private Mono<CallToolResult> echo(McpAsyncServerExchange exchange, CallToolRequest request) {
        Object message = request.arguments() == null ? null : request.arguments().get("message");
        if (!(message instanceof String text)) {
            return Mono.error(McpError.builder(McpSchema.ErrorCodes.INVALID_PARAMS).message("message must be a string")
                    .build());
        }
        return Mono.just(text("Echo: " + text));
    }

    private Mono<CallToolResult> progress(McpAsyncServerExchange exchange, CallToolRequest request) {
        return Flux.range(1, PROGRESS_STEPS)
                .concatMap(step -> exchange.progressNotification(McpSchema.ProgressNotification
                        .builder(request.progressToken(), step).total((double) PROGRESS_STEPS).message("step " + step)
                        .build()))
                .then(Mono.just(text("progressed")));
    }

    private Mono<CallToolResult> slow(McpAsyncServerExchange exchange, CallToolRequest request) {
        CompletableFuture<String> started = slowStarted;
        CompletableFuture<String> finished = slowFinished;
        return traffic.cancellations().next()
                .map(id -> CANCELLED)
                .timeout(Duration.ofSeconds(30), Mono.just("never cancelled"))
                .doOnSubscribe(subscription -> started.complete("started"))
                .doOnNext(finished::complete)
                .map(TestTools::text);
    }

    public void resetSlow() {
        slowStarted = new CompletableFuture<>();
        slowFinished = new CompletableFuture<>();
    }

    private static AsyncToolSpecification tool(String name, Map<String, Object> schema,
            BiFunction<McpAsyncServerExchange, CallToolRequest, Mono<CallToolResult>> handler) {
        return AsyncToolSpecification.builder()
                .tool(McpSchema.Tool.builder(name, schema).description("Test tool " + name).build())
                .callHandler(handler)
                .build();
    }

    private static CallToolResult text(String text) {
        return CallToolResult.builder().addTextContent(text).build();
    }
}
