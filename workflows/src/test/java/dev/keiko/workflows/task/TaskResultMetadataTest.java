package dev.keiko.workflows.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keiko.workflows.budget.ScriptedBudgets;
import dev.keiko.workflows.llm.ScriptedLlmActivities;
import dev.keiko.workflows.llm.ToolCallRequest;
import dev.keiko.workflows.tool.ScriptedToolActivities;
import io.temporal.client.WorkflowFailedException;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The metadata of a task's stored result keeps its JSON (compared as JSON: the read model's {@code jsonb} keeps
 * no key order), whichever way the task ended.
 */
class TaskResultMetadataTest {

    @RegisterExtension
    final TaskWorkflowFixture fixture = new TaskWorkflowFixture();

    @Test
    void aToolTaskNamesItsStep() {
        start();

        fixture.workflow("m1").run(TaskWorkflowTest.toolTask("m1", 60));

        assertThat(storedMetadata()).isEqualTo(json("{\"step\":\"tool: everything/echo\",\"workflowId\":\"task-m1\"}"));
    }

    @Test
    void aCompletionNamesItsStepModelAndTokens() {
        start();

        fixture.workflow("m2").run(new TaskWorkflowInput("m2", TaskTypes.COMPLETION,
                Map.of("prompt", "hi", "deployment", "gpt-4o"), 60));

        assertThat(storedMetadata()).isEqualTo(json("{\"step\":\"llm: gpt-4o\",\"model\":\"gpt-test\",\"tokens\":"
                + "{\"prompt\":12,\"completion\":3,\"total\":15},\"workflowId\":\"task-m2\"}"));
    }

    @Test
    void aFailedAgentKeepsItsTokensAndSteps() {
        start();

        assertThatThrownBy(() -> fixture.workflow("m3").run(new TaskWorkflowInput("m3", TaskTypes.AGENT,
                Map.of("goal", "loop", "tools", List.of("everything"), "maxSteps", 1), 60)))
                .isInstanceOf(WorkflowFailedException.class);

        Map<String, Object> metadata = fixture.records.results.getFirst().metadata();
        assertThat(metadata).containsOnlyKeys("tokens", "steps", "workflowId")
                .containsEntry("tokens", Map.of("prompt", 12, "completion", 3, "total", 15));
        assertThat((List<?>) metadata.get("steps")).extracting(step -> String.valueOf(((Map<?, ?>) step).get("name")))
                .containsExactly("llm: default step 1", "tool: everything/echo");
    }

    @Test
    void aTimedOutTaskNamesTheStepItWasOn() {
        fixture.start(ScriptedToolActivities.answering(), new ScriptedLlmActivities(call -> {
            throw new IllegalStateException("the provider is down");
        }), ScriptedBudgets.unlimited());

        assertThatThrownBy(() -> fixture.workflow("m4").run(new TaskWorkflowInput("m4", TaskTypes.COMPLETION,
                Map.of("prompt", "hi"), 3))).isInstanceOf(WorkflowFailedException.class);

        assertThat(fixture.records.results.getFirst().errorType()).isEqualTo(TaskErrorTypes.TIMEOUT);
        assertThat(storedMetadata()).isEqualTo(json("{\"step\":\"llm: default\",\"workflowId\":\"task-m4\"}"));
    }

    private void start() {
        fixture.start(ScriptedToolActivities.answering(), new ScriptedLlmActivities(call -> call == 1
                ? ScriptedLlmActivities.toolCalls(List.of(new ToolCallRequest("c1", "everything__echo", "{}")), 12, 3)
                : ScriptedLlmActivities.text("done", 1, 1)), ScriptedBudgets.unlimited());
    }

    private JsonNode storedMetadata() {
        TaskResult result = fixture.records.results.getFirst();
        return json(DefaultDataConverter.newDefaultInstance().toPayload(result.metadata()).orElseThrow().getData()
                .toString(StandardCharsets.UTF_8));
    }

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
