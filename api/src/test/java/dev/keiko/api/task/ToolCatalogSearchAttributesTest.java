package dev.keiko.api.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keiko.api.mcp.ToolCatalog;
import dev.keiko.api.mcp.ToolLookupProperties;
import dev.keiko.api.search.NamespaceSearchAttributes;
import dev.keiko.domain.mcp.McpProperties;
import dev.keiko.workflows.search.KeikoSearchAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.interceptors.WorkflowClientCallsInterceptor;
import io.temporal.common.interceptors.WorkflowClientCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowClientInterceptorBase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The short workflow that lists an MCP server's tools carries {@code KeikoKind = "tool-catalog"}, so that the Web
 * UI's list of tasks ({@code KeikoKind = "task"}) leaves it out. No worker runs here: the lookup times out, and the
 * workflow it started is read back by its id.
 */
class ToolCatalogSearchAttributesTest extends RoutingTestSupport {

    @Autowired
    WorkflowClient client;

    @Autowired
    NamespaceSearchAttributes namespace;

    @Autowired
    McpProperties mcp;

    @Test
    void aToolListingWorkflowIsMarkedAsTheToolCatalog() {
        List<String> started = new CopyOnWriteArrayList<>();
        WorkflowClientInterceptorBase recordingStarts = new WorkflowClientInterceptorBase() {
            @Override
            public WorkflowClientCallsInterceptor workflowClientCallsInterceptor(WorkflowClientCallsInterceptor next) {
                return new WorkflowClientCallsInterceptorBase(next) {
                    @Override
                    public WorkflowStartOutput start(WorkflowStartInput input) {
                        started.add(input.getWorkflowId());
                        return super.start(input);
                    }
                };
            }
        };
        WorkflowClient recording = WorkflowClient.newInstance(client.getWorkflowServiceStubs(),
                WorkflowClientOptions.newBuilder(client.getOptions()).setInterceptors(recordingStarts).build());

        assertThatThrownBy(() -> new ToolCatalog(recording, namespace, mcp,
                new ToolLookupProperties(Duration.ofMillis(500), Duration.ofMillis(500))).tools("limited")
                .block()).isNotNull();

        assertThat(started).singleElement().asString().startsWith("mcp-tools-limited-");
        assertThat(client.newUntypedWorkflowStub(started.getFirst()).describe().getTypedSearchAttributes()
                .get(KeikoSearchAttributes.KIND)).isEqualTo("tool-catalog");
    }
}
