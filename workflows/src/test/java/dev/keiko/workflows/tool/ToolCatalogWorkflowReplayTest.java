package dev.keiko.workflows.tool;

import static org.assertj.core.api.Assertions.assertThatCode;

import io.temporal.testing.WorkflowReplayer;
import org.junit.jupiter.api.Test;

/** Fails when a change to {@link ToolCatalogWorkflowImpl} would break workflows already running. */
class ToolCatalogWorkflowReplayTest {

    @Test
    void replaysAToolListing() {
        assertThatCode(() -> WorkflowReplayer.replayWorkflowExecutionFromResource(
                "histories/tool-catalog-workflow.json", ToolCatalogWorkflowImpl.class)).doesNotThrowAnyException();
    }
}
