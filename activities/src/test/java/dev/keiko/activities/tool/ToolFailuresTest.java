package dev.keiko.activities.tool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.workflows.tool.ToolFailureTypes;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;

/** What a server says in an error reaches workflow history bounded. */
class ToolFailuresTest {

    @Test
    void aToolsErrorTextIsCut() {
        var failure = ToolFailures.toolError("e".repeat(1_000_000));

        assertThat(failure.getType()).isEqualTo(ToolFailureTypes.TOOL_ERROR);
        assertThat(failure.getOriginalMessage()).hasSizeLessThan(4100).endsWith("[cut at 4000 characters]");
        assertThat(ToolFailures.toolError("short").getOriginalMessage()).isEqualTo("short");
    }

    @Test
    void aServersJsonRpcErrorIsCut() {
        McpError invalid = McpError.builder(McpSchema.ErrorCodes.INVALID_PARAMS).message("p".repeat(100_000)).build();
        McpError internal = McpError.builder(McpSchema.ErrorCodes.INTERNAL_ERROR).message("i".repeat(100_000)).build();

        var rejected = (ApplicationFailure) ToolFailures.rpcError("big", invalid);
        var failed = (ApplicationFailure) ToolFailures.of("big", internal);

        assertThat(rejected.getType()).isEqualTo(ToolFailureTypes.INVALID_ARGUMENTS);
        assertThat(rejected.getOriginalMessage()).hasSizeLessThan(4200);
        assertThat(rejected.getCause()).isNull();
        assertThat(failed.getType()).isEqualTo(ToolFailureTypes.MCP_UNAVAILABLE);
        assertThat(failed.getOriginalMessage()).hasSizeLessThan(4200);
    }
}
