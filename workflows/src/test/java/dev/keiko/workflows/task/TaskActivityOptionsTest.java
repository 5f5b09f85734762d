package dev.keiko.workflows.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keiko.workflows.agent.AgentLimits;
import dev.keiko.workflows.agent.AgentSlotsWorkflowImpl;
import dev.keiko.workflows.agent.ScriptedSlotActivities;
import dev.keiko.workflows.budget.ScriptedBudgets;
import dev.keiko.workflows.llm.LlmFailureTypes;
import dev.keiko.workflows.llm.ScriptedLlmActivities;
import dev.keiko.workflows.llm.ToolCallRequest;
import dev.keiko.workflows.tool.ScriptedToolActivities;
import dev.keiko.workflows.tool.ToolFailureTypes;
import io.temporal.api.common.v1.RetryPolicy;
import io.temporal.api.history.v1.ActivityTaskScheduledEventAttributes;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowFailedException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The timeouts and retry policies each task's activities are scheduled with, as the workflow history
 * records them: the options catalogue is what the task types use, with the values they have always had.
 */
class TaskActivityOptionsTest {

    private static final String LLM_NOT_RETRIED = String.join(",", LlmFailureTypes.NON_RETRYABLE);
    private static final String TOOL_NOT_RETRIED = String.join(",", ToolFailureTypes.NON_RETRYABLE);
    /** Marking a task running and recording its outcome, local activities run in the workflow task. */
    private static final List<String> LOCAL = List.of("MarkRunning", "RecordOutcome");

    @RegisterExtension
    final TaskWorkflowFixture fixture = new TaskWorkflowFixture();

    @Test
    void anAgentsActivitiesUseTheCataloguesOptions() {
        fixture.start(ScriptedToolActivities.answering(), new ScriptedLlmActivities(call -> call == 1
                ? ScriptedLlmActivities.toolCalls(List.of(
                        new ToolCallRequest("call-1", "everything__echo", "{\"message\":\"a\"}")), 10, 5)
                : ScriptedLlmActivities.text("Echoed.", 20, 3)), ScriptedBudgets.unlimited());

        fixture.workflow("o1").run(new TaskWorkflowInput("o1", TaskTypes.AGENT,
                Map.of("goal", "Echo a", "tools", List.of("everything")), 90));

        assertThat(scheduled("o1")).containsExactly(
                "ListTools 30s heartbeat 0s retry 1s x2.0 up to 100s, attempts 3, not " + TOOL_NOT_RETRIED,
                "Complete 120s heartbeat 5s retry 2s x2.0 up to 60s, attempts 6, not " + LLM_NOT_RETRIED,
                "CallTool 90s heartbeat 5s retry 1s x2.0 up to 30s, attempts 5, not " + TOOL_NOT_RETRIED,
                "Complete 120s heartbeat 5s retry 2s x2.0 up to 60s, attempts 6, not " + LLM_NOT_RETRIED);
        assertThat(localActivities("o1")).isEqualTo(LOCAL);
    }

    @Test
    void anImageGenerationHasThreeMinutesAndFourAttempts() {
        fixture.start(ScriptedToolActivities.answering(), new ScriptedLlmActivities(call -> null),
                ScriptedBudgets.unlimited());

        assertThatThrownBy(() -> fixture.workflow("o2").run(new TaskWorkflowInput("o2", TaskTypes.IMAGE,
                Map.of("prompt", "a cat"), 600))).isInstanceOf(WorkflowFailedException.class);

        assertThat(scheduled("o2")).containsExactly(
                "GenerateImage 180s heartbeat 5s retry 2s x2.0 up to 60s, attempts 4, not " + LLM_NOT_RETRIED);
        assertThat(localActivities("o2")).isEqualTo(LOCAL);
    }

    @Test
    void anAgentsRetryPolicyReplacesTheCataloguesRetriesOfItsCalls() {
        fixture.alsoRun(AgentSlotsWorkflowImpl.class);
        fixture.start(ScriptedToolActivities.answering(), new ScriptedLlmActivities(call -> call == 1
                ? ScriptedLlmActivities.toolCalls(List.of(
                        new ToolCallRequest("call-1", "everything__echo", "{\"message\":\"a\"}")), 10, 5)
                : ScriptedLlmActivities.text("Echoed.", 20, 3)), ScriptedBudgets.unlimited(),
                new ScriptedSlotActivities(fixture.env.getWorkflowClient(),
                        new AgentLimits(true, true, 1), 10));
        TaskAgent agent = new TaskAgent("a1", "reviewer", "high", 1_000,
                new TaskAgent.RetryPolicy(3, 3.0, 45, 4, List.of("AGENT_SAYS_NO")));

        fixture.workflow("o3").run(new TaskWorkflowInput("o3", TaskTypes.AGENT,
                Map.of("goal", "Echo a", "tools", List.of("everything")), 90, agent));

        assertThat(scheduled("o3")).containsExactly(
                "RequestSlot 10s heartbeat 0s retry 0.5s x2.0 up to 10s, attempts 0, not ",
                "ListTools 30s heartbeat 0s retry 1s x2.0 up to 100s, attempts 3, not " + TOOL_NOT_RETRIED,
                "Complete 120s heartbeat 5s retry 3s x3.0 up to 45s, attempts 4, not " + LLM_NOT_RETRIED
                        + ",AGENT_SAYS_NO",
                "CallTool 90s heartbeat 5s retry 3s x3.0 up to 45s, attempts 4, not " + TOOL_NOT_RETRIED
                        + ",AGENT_SAYS_NO",
                "Complete 120s heartbeat 5s retry 3s x3.0 up to 45s, attempts 4, not " + LLM_NOT_RETRIED
                        + ",AGENT_SAYS_NO");
        assertThat(localActivities("o3")).isEqualTo(LOCAL);
    }

    @Test
    void theLocalRecordsKeepTheDatabaseActivitiesRetriesAndWaitOnTimersPastHalfASecond() {
        var local = TaskActivityOptions.localDatabase();

        assertThat(local.getStartToCloseTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(local.getScheduleToCloseTimeout()).isEqualTo(Duration.ofDays(365));
        assertThat(local.getLocalRetryThreshold()).isEqualTo(Duration.ofMillis(500));
        assertThat(local.getRetryOptions().getInitialInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(local.getRetryOptions().getMaximumInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(local.getRetryOptions().getMaximumAttempts()).isZero();
        assertThat(local.getRetryOptions().getDoNotRetry()).containsExactly(TaskRecordActivities.MISSING_TASK);
    }

    private List<String> scheduled(String taskId) {
        return fixture.env.getWorkflowClient().fetchHistory(TaskWorkflowIds.forTask(taskId)).getEvents().stream()
                .filter(HistoryEvent::hasActivityTaskScheduledEventAttributes)
                .map(event -> describe(event.getActivityTaskScheduledEventAttributes()))
                .toList();
    }

    /** The types of the local activities the history records, in order. */
    private List<String> localActivities(String taskId) {
        return fixture.env.getWorkflowClient().fetchHistory(TaskWorkflowIds.forTask(taskId)).getEvents().stream()
                .filter(event -> event.hasMarkerRecordedEventAttributes()
                        && event.getMarkerRecordedEventAttributes().getMarkerName().equals("LocalActivity"))
                .map(event -> event.getMarkerRecordedEventAttributes().getDetailsMap().get("type").getPayloads(0)
                        .getData().toStringUtf8().replace("\"", ""))
                .toList();
    }

    private static String describe(ActivityTaskScheduledEventAttributes activity) {
        RetryPolicy retry = activity.getRetryPolicy();
        return activity.getActivityType().getName() + " " + seconds(activity.getStartToCloseTimeout())
                + " heartbeat " + seconds(activity.getHeartbeatTimeout()) + " retry "
                + seconds(retry.getInitialInterval()) + " x" + retry.getBackoffCoefficient() + " up to "
                + seconds(retry.getMaximumInterval()) + ", attempts " + retry.getMaximumAttempts() + ", not "
                + String.join(",", retry.getNonRetryableErrorTypesList());
    }

    private static String seconds(com.google.protobuf.Duration duration) {
        double value = duration.getSeconds() + duration.getNanos() / 1e9;
        return (value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value)) + "s";
    }
}
