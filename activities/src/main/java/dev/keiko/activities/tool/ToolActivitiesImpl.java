package dev.keiko.activities.tool;

import dev.keiko.activities.ActivitySpans;
import dev.keiko.activities.HeartbeatingWait;
import dev.keiko.activities.mcp.McpClientPool;
import dev.keiko.activities.mcp.McpConnection;
import dev.keiko.domain.mcp.McpProperties;
import dev.keiko.domain.mcp.McpServer;
import dev.keiko.domain.mcp.McpServerCatalog;
import dev.keiko.domain.task.TaskEvents;
import dev.keiko.workflows.task.StepLabels;
import dev.keiko.workflows.tool.ListToolsInput;
import dev.keiko.workflows.tool.ListToolsOutput;
import dev.keiko.workflows.tool.McpNames;
import dev.keiko.workflows.tool.ToolActivities;
import dev.keiko.workflows.tool.ToolCallInput;
import dev.keiko.workflows.tool.ToolCallOutput;
import dev.keiko.workflows.tool.ToolFailureTypes;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.temporal.failure.ApplicationFailure;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

@Component("toolActivities")
public class ToolActivitiesImpl implements ToolActivities {

    private final KnownServers servers;
    private final McpClientPool pool;
    private final TaskEvents taskEvents;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ToolResults results;
    private final ToolCallMetrics metrics;

    public ToolActivitiesImpl(McpServerCatalog catalog, McpClientPool pool, TaskEvents taskEvents,
            McpProperties properties) {
        this(catalog, pool, taskEvents, properties, ToolCallMetrics.NONE);
    }

    @Autowired
    public ToolActivitiesImpl(McpServerCatalog catalog, McpClientPool pool, TaskEvents taskEvents,
            McpProperties properties, ToolCallMetrics metrics) {
        this.servers = new KnownServers(catalog, properties.knownServerMaxAge());
        this.pool = pool;
        this.taskEvents = taskEvents;
        this.results = new ToolResults(McpJsonDefaults.getMapper(), properties.maxToolOutput());
        this.metrics = metrics;
    }

    @Override
    public ToolCallOutput callTool(ToolCallInput input) {
        ActivitySpans.step(StepLabels.toolCall(input.server(), input.tool()));
        long started = System.nanoTime();
        McpServer server;
        try {
            server = server(input.server());
        } catch (ApplicationFailure unknown) {
            metrics.call(null, input.tool(), input.agentId(), unknown, System.nanoTime() - started);
            throw unknown;
        }
        try {
            ToolCallOutput output = call(server, input);
            metrics.call(server, input.tool(), input.agentId(), null, System.nanoTime() - started);
            return output;
        } catch (RuntimeException e) {
            metrics.call(server, input.tool(), input.agentId(), e, System.nanoTime() - started);
            throw e;
        }
    }

    private ToolCallOutput call(McpServer server, ToolCallInput input) {
        if (!McpNames.isToolName(input.tool()) || !server.policy().allowsTool(input.tool())) {
            throw ToolFailures.toolNotAllowed(server.name(), input.tool());
        }
        Map<String, Object> arguments = arguments(input);
        ToolProgress progress = new ToolProgress(taskEvents, input.taskId(), input.tool());
        Mono<ToolCallOutput> call = pool.connection(server)
                .flatMap(connection -> call(connection, input, arguments, progress));
        long started = System.nanoTime();
        String step = StepLabels.toolCall(server.name(), input.tool());
        try {
            ToolCallOutput output = HeartbeatingWait.await(call, progress::publishPending,
                    error -> ToolFailures.of(server.name(), error));
            taskEvents.announce(input.taskId(), step + " answered in " + elapsedMillis(started) + " ms");
            return output;
        } catch (ApplicationFailure e) {
            taskEvents.announce(input.taskId(), step + " failed (" + e.getType() + ") after "
                    + elapsedMillis(started) + " ms");
            throw e;
        }
    }

    private static long elapsedMillis(long started) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    @Override
    public ListToolsOutput listTools(ListToolsInput input) {
        McpServer server = server(input.server());
        Mono<ListToolsOutput> tools = pool.connection(server)
                .flatMap(McpConnection::listTools)
                .map(list -> new ListToolsOutput(list.stream()
                        .filter(tool -> input.includeNotAllowed() || offerable(server, tool.name()))
                        .map(results::descriptor)
                        .toList()));
        return HeartbeatingWait.await(tools, () -> { }, error -> ToolFailures.of(server.name(), error));
    }

    /** A tool tasks may be offered: allowed, and with a name that is safe to pass on to Temporal and logs. */
    private static boolean offerable(McpServer server, String tool) {
        return McpNames.isToolName(tool) && server.policy().allowsTool(tool);
    }

    private Mono<ToolCallOutput> call(McpConnection connection, ToolCallInput input, Map<String, Object> arguments,
            ToolProgress progress) {
        if (!connection.offersTools()) {
            return Mono.error(ToolFailures.unknownTool(connection.server().name(), input.tool()));
        }
        return connection.callTool(input.tool(), arguments, progress::add)
                .flatMap(result -> Boolean.TRUE.equals(result.isError()) ? toolError(connection, input.tool(), result)
                        : Mono.just(results.output(result)))
                .onErrorResume(McpError.class, error -> rpcError(connection, input.tool(), error));
    }

    private Map<String, Object> arguments(ToolCallInput input) {
        if (input.arguments() != null || input.argumentsJson() == null || input.argumentsJson().isBlank()) {
            return input.arguments() == null ? Map.of() : input.arguments();
        }
        try {
            return JSON.readValue(input.argumentsJson(), new TypeReference<Map<String, Object>>() { });
        } catch (JacksonException e) {
            throw ApplicationFailure.newNonRetryableFailure("The arguments of " + input.tool()
                    + " are not a JSON object: " + e.getOriginalMessage(), ToolFailureTypes.INVALID_ARGUMENTS);
        }
    }

    /**
     * Looks the server up while heartbeating: a freshly started worker's first query can take seconds on a busy
     * machine, and a call that heartbeats late is retried elsewhere while it may still reach the tool.
     */
    private McpServer server(String name) {
        Mono<McpServer> found = servers.find(name).switchIfEmpty(Mono.error(() -> ToolFailures.unknownServer(name)));
        return HeartbeatingWait.await(found, () -> { },
                error -> error instanceof RuntimeException failure ? failure : new IllegalStateException(error));
    }

    // Servers report an unknown tool in different ways (a JSON-RPC error, an isError result), so the tool list decides.
    private <T> Mono<T> toolError(McpConnection connection, String tool, CallToolResult result) {
        return unknownTool(connection, tool).flatMap(unknown -> Mono.error(unknown
                ? ToolFailures.unknownTool(connection.server().name(), tool)
                : ToolFailures.toolError(ToolResults.errorText(tool, result))));
    }

    private <T> Mono<T> rpcError(McpConnection connection, String tool, McpError error) {
        int code = ToolFailures.code(error);
        if (code != McpSchema.ErrorCodes.INVALID_PARAMS && code != McpSchema.ErrorCodes.METHOD_NOT_FOUND) {
            return Mono.error(error);
        }
        return unknownTool(connection, tool).flatMap(unknown -> Mono.error(unknown
                ? ToolFailures.unknownTool(connection.server().name(), tool)
                : ToolFailures.rpcError(connection.server().name(), error)));
    }

    private static Mono<Boolean> unknownTool(McpConnection connection, String tool) {
        return connection.offersTool(tool).map(offered -> !offered).onErrorReturn(false);
    }
}
