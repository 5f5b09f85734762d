package dev.keiko.api.mcp;

import dev.keiko.api.search.NamespaceSearchAttributes;
import dev.keiko.domain.mcp.McpProperties;
import dev.keiko.workflows.TaskQueues;
import dev.keiko.workflows.search.KeikoSearchAttributes;
import dev.keiko.workflows.tool.ListToolsInput;
import dev.keiko.workflows.tool.ToolCatalogWorkflow;
import dev.keiko.workflows.tool.ToolDescriptor;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The tools each MCP server offers, as a worker lists them (workers hold the MCP clients; the API
 * holds none), cached for {@code keiko.mcp.tools-cache-ttl}: all of them, the server's allow-list
 * notwithstanding, for its managers to see and for submissions to tell an unknown tool from one
 * that is not allowed.
 */
@Component
public class ToolCatalog {

    private final WorkflowClient client;
    private final NamespaceSearchAttributes namespace;
    private final Duration ttl;
    private final Duration lookupTimeout;
    private final Map<String, CachedTools> cache = new ConcurrentHashMap<>();

    public ToolCatalog(WorkflowClient client, NamespaceSearchAttributes namespace, McpProperties properties,
            @Value("${keiko.mcp.tools-lookup-timeout:10s}") Duration lookupTimeout) {
        this.client = client;
        this.namespace = namespace;
        this.ttl = properties.toolsCacheTtl();
        this.lookupTimeout = lookupTimeout;
    }

    /** The server's tools; fails when no worker could list them within the lookup timeout. */
    public Mono<List<ToolDescriptor>> tools(String server) {
        CachedTools cached = cache.get(server);
        if (cached != null && cached.expiresAt().isAfter(Instant.now())) {
            return Mono.just(cached.tools());
        }
        return Mono.fromCallable(() -> list(server))
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(lookupTimeout)
                .doOnNext(tools -> cache.put(server, new CachedTools(tools, Instant.now().plus(ttl))));
    }

    public void evict(String server) {
        cache.remove(server);
    }

    /** Lists them in a short workflow of its own, {@code KeikoKind = "tool-catalog"} where the namespace has it. */
    private List<ToolDescriptor> list(String server) {
        WorkflowOptions.Builder options = WorkflowOptions.newBuilder()
                .setWorkflowId("mcp-tools-" + server + "-" + UUID.randomUUID())
                .setTaskQueue(TaskQueues.TASKS)
                .setWorkflowExecutionTimeout(lookupTimeout.plusSeconds(5))
                .setStaticSummary("list tools: " + server);
        if (namespace.registered()) {
            options.setTypedSearchAttributes(KeikoSearchAttributes.ofKind(KeikoSearchAttributes.KIND_TOOL_CATALOG));
        }
        return client.newWorkflowStub(ToolCatalogWorkflow.class, options.build())
                .listTools(new ListToolsInput(server, true)).tools();
    }

    private record CachedTools(List<ToolDescriptor> tools, Instant expiresAt) {
    }
}
