package dev.keiko.api.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.keiko.api.mcp.ToolCatalog;
import dev.keiko.api.mcp.ToolLookupProperties;
import dev.keiko.api.search.NamespaceSearchAttributes;
import dev.keiko.domain.mcp.McpProperties;
import dev.keiko.workflows.TaskQueues;
import dev.keiko.workflows.search.KeikoSearchAttributes;
import dev.keiko.workflows.tool.ListToolsInput;
import dev.keiko.workflows.tool.ListToolsOutput;
import dev.keiko.workflows.tool.ToolActivities;
import dev.keiko.workflows.tool.ToolCallInput;
import dev.keiko.workflows.tool.ToolCallOutput;
import dev.keiko.workflows.tool.ToolCatalogWorkflowImpl;
import dev.keiko.workflows.tool.ToolDescriptor;
import io.temporal.client.WorkflowClient;
import io.temporal.failure.ApplicationFailure;
import io.temporal.worker.WorkerFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import reactor.core.publisher.Flux;

/**
 * Submissions check a tool against the server's tool list, which only a worker can fetch. Callers that miss the
 * cache at once share one lookup; a submission waits for it at most {@code keiko.mcp.tools-check-wait}; a server
 * whose lookup just failed is not asked again for a while. The API's own context runs no worker; a worker on the
 * control queue is started here where a test needs one.
 */
class ToolCatalogLookupTest extends RoutingTestSupport {

    @Autowired
    WorkflowClient client;

    @Autowired
    NamespaceSearchAttributes namespace;

    @Autowired
    McpProperties mcp;

    private final List<String> started = new CopyOnWriteArrayList<>();

    @Test
    void concurrentMissesShareOneLookupOnTheControlQueueAndGiveUpWaitingAfterTheCheckWait() {
        ToolCatalog catalog = catalog(Duration.ofSeconds(3), Duration.ofMillis(300));
        long before = System.nanoTime();

        List<Boolean> answered = Flux.range(0, 20)
                .flatMap(i -> catalog.toolsForCheck("limited").map(tools -> true).onErrorReturn(false), 20)
                .collectList().block();

        assertThat(answered).hasSize(20).containsOnly(false);
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofMillis(2_500));
        assertThat(started).singleElement().asString().startsWith("mcp-tools-limited-");
        assertThat(client.newUntypedWorkflowStub(started.getFirst()).describe().getTaskQueue())
                .isEqualTo(TaskQueues.CONTROL);
    }

    /** The Web UI's list of tasks ({@code KeikoKind = "task"}) leaves the lookups out. */
    @Test
    void aToolListingWorkflowIsMarkedAsTheToolCatalog() {
        assertThatThrownBy(() -> catalog(Duration.ofMillis(500), Duration.ofMillis(500)).tools("limited").block())
                .isNotNull();

        assertThat(started).singleElement().asString().startsWith("mcp-tools-limited-");
        assertThat(client.newUntypedWorkflowStub(started.getFirst()).describe().getTypedSearchAttributes()
                .get(KeikoSearchAttributes.KIND)).isEqualTo("tool-catalog");
    }

    @Test
    void aServerWhoseLookupFailedIsNotAskedAgainForAWhileByChecksButIsByTheListing() {
        ToolCatalog catalog = catalog(Duration.ofMillis(500), Duration.ofMillis(500));
        assertThatThrownBy(() -> catalog.toolsForCheck("limited").block()).isNotNull();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            long at = System.nanoTime();
            assertThatThrownBy(() -> catalog.toolsForCheck("limited").block()).isNotNull();
            assertThat(Duration.ofNanos(System.nanoTime() - at)).isLessThan(Duration.ofMillis(100));
        });
        assertThat(started).hasSize(1);

        assertThatThrownBy(() -> catalog.tools("limited").block()).isNotNull();
        assertThat(started).hasSize(2);
    }

    @Test
    void aWorkerOnTheControlQueueAnswersEveryWaitingCallerWithOneListing() {
        AtomicInteger listings = new AtomicInteger();
        String server = "lookup-" + UUID.randomUUID();
        WorkerFactory factory = WorkerFactory.newInstance(client);
        factory.newWorker(TaskQueues.CONTROL).registerWorkflowImplementationTypes(ToolCatalogWorkflowImpl.class);
        factory.getWorker(TaskQueues.CONTROL).registerActivitiesImplementations(new ToolActivities() {
            @Override
            public ToolCallOutput callTool(ToolCallInput input) {
                throw new UnsupportedOperationException("not a tool call test");
            }

            @Override
            public ListToolsOutput listTools(ListToolsInput input) {
                if (!input.server().equals(server)) {
                    // A lookup another test of this context left waiting: it must not be answered with this list.
                    throw ApplicationFailure.newNonRetryableFailure("not this test's server", "TEST");
                }
                listings.incrementAndGet();
                sleep(Duration.ofMillis(300));
                return new ListToolsOutput(List.of(new ToolDescriptor("echo", "Echo", "Echoes", Map.of())));
            }
        });
        factory.start();
        try {
            ToolCatalog catalog = catalog(Duration.ofSeconds(10), Duration.ofSeconds(10));

            List<List<ToolDescriptor>> answers = Flux.range(0, 10)
                    .flatMap(i -> catalog.toolsForCheck(server), 10).collectList().block();

            assertThat(answers).hasSize(10).allSatisfy(tools -> assertThat(tools).extracting(ToolDescriptor::name)
                    .containsExactly("echo"));
            assertThat(listings).hasValue(1);
            assertThat(catalog.toolsForCheck(server).block()).hasSize(1);
            assertThat(listings).hasValue(1);
            assertThat(started).hasSize(1);
        } finally {
            factory.shutdownNow();
        }
    }

    private ToolCatalog catalog(Duration lookupTimeout, Duration checkWait) {
        return new ToolCatalog(RecordingClients.recordingStarts(client, started), namespace, mcp,
                new ToolLookupProperties(lookupTimeout, checkWait));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
