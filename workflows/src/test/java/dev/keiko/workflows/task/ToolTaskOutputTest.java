package dev.keiko.workflows.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.workflows.tool.ListToolsInput;
import dev.keiko.workflows.tool.ListToolsOutput;
import dev.keiko.workflows.tool.ToolActivities;
import dev.keiko.workflows.tool.ToolCallInput;
import dev.keiko.workflows.tool.ToolCallOutput;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A tool task's result says when the activity cut the tool's output. */
class ToolTaskOutputTest {

    @RegisterExtension
    final TaskWorkflowFixture fixture = new TaskWorkflowFixture();

    @Test
    void aTruncatedOutputIsMarkedInTheResult() {
        fixture.start(new CutOutput());

        TaskWorkflowOutput output = fixture.workflow("cut").run(TaskWorkflowTest.toolTask("cut", 60));

        assertThat(output.result().data()).isEqualTo(Map.of(
                "content", List.of(Map.of("type", "text", "text", "xxx"), Map.of("type", "text", "text", "[cut]")),
                "truncated", true));
    }

    /** A tool whose output the activity cut. */
    static final class CutOutput implements ToolActivities {

        @Override
        public ToolCallOutput callTool(ToolCallInput input) {
            return new ToolCallOutput(List.of(Map.of("type", "text", "text", "xxx"),
                    Map.of("type", "text", "text", "[cut]")), null, true);
        }

        @Override
        public ListToolsOutput listTools(ListToolsInput input) {
            return new ListToolsOutput(List.of());
        }
    }
}
