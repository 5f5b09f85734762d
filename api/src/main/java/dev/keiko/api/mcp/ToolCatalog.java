package dev.keiko.api.mcp;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The tools each MCP server offers, as a worker lists them (workers hold the MCP clients; the API
 * holds none), cached for {@code keiko.mcp.tools-cache-ttl}: all of them, the server's allow-list
 * notwithstanding, for its managers to see and for submissions to tell an unknown tool from one
 * that is not allowed. Callers that miss the cache at once share one lookup per server, which runs on
 * a queue of its own ({@link TaskQueues#CONTROL}) so that a backlog of tasks does not hold it up.
 */
@Component
public class ToolCatalog implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ToolCatalog.class);

    private final WorkflowClient client;
    private final NamespaceSearchAttributes namespace;
    private final ToolLookupProperties lookup;
    private final AsyncCache<String, List<ToolDescriptor>> cache;
    /** Servers whose last lookup failed, until they may be asked again. */
    private final Cache<String, Boolean> failedRecently;
    private final ExecutorService lookups = Executors.newVirtualThreadPerTaskExecutor();

    public ToolCatalog(WorkflowClient client, NamespaceSearchAttributes namespace, McpProperties properties,
            ToolLookupProperties lookup) {
        this.client = client;
        this.namespace = namespace;
        this.lookup = lookup;
        this.cache = Caffeine.newBuilder().expireAfterWrite(properties.toolsCacheTtl()).buildAsync();
        this.failedRecently = Caffeine.newBuilder().expireAfterWrite(lookup.toolsLookupTimeout()).build();
    }

    /** The server's tools; fails when no worker could list them within the lookup timeout. */
    public Mono<List<ToolDescriptor>> tools(String server) {
        return Mono.fromFuture(() -> lookup(server), true);
    }

    /**
     * The server's tools if a worker lists them within {@code keiko.mcp.tools-check-wait}; fails at once, without
     * asking, while the server's last lookup counts as recently failed.
     */
    public Mono<List<ToolDescriptor>> toolsForCheck(String server) {
        if (cache.getIfPresent(server) == null && failedRecently.getIfPresent(server) != null) {
            return Mono.error(new IllegalStateException("the last lookup of its tools failed moments ago"));
        }
        return tools(server).timeout(min(lookup.toolsCheckWait(), lookup.toolsLookupTimeout()));
    }

    public void evict(String server) {
        cache.synchronous().invalidate(server);
        failedRecently.invalidate(server);
    }

    private CompletableFuture<List<ToolDescriptor>> lookup(String server) {
        return cache.get(server, (key, executor) -> CompletableFuture.supplyAsync(() -> list(key), lookups)
                .orTimeout(lookup.toolsLookupTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((tools, failure) -> {
                    if (failure != null) {
                        log.warn("No worker listed the tools of MCP server {} within {}; submissions of its tools are"
                                + " accepted unchecked for as long: {}", key, lookup.toolsLookupTimeout(),
                                failure.toString());
                        failedRecently.put(key, Boolean.TRUE);
                    } else {
                        failedRecently.invalidate(key);
                    }
                }));
    }

    /** Lists them in a short workflow of its own, {@code KeikoKind = "tool-catalog"} where the namespace has it. */
    private List<ToolDescriptor> list(String server) {
        WorkflowOptions.Builder options = WorkflowOptions.newBuilder()
                .setWorkflowId("mcp-tools-" + server + "-" + UUID.randomUUID())
                .setTaskQueue(TaskQueues.CONTROL)
                .setWorkflowExecutionTimeout(lookup.toolsLookupTimeout().plusSeconds(5))
                .setStaticSummary("list tools: " + server);
        if (namespace.registered()) {
            options.setTypedSearchAttributes(KeikoSearchAttributes.ofKind(KeikoSearchAttributes.KIND_TOOL_CATALOG));
        }
        return client.newWorkflowStub(ToolCatalogWorkflow.class, options.build())
                .listTools(new ListToolsInput(server, true)).tools();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public void destroy() {
        lookups.shutdownNow();
    }
}
