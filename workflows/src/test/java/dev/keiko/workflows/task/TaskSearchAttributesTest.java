package dev.keiko.workflows.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keiko.workflows.Await;
import dev.keiko.workflows.TaskQueues;
import dev.keiko.workflows.budget.ScriptedBudgets;
import dev.keiko.workflows.llm.ChatCompletionOutput;
import dev.keiko.workflows.llm.ScriptedLlmActivities;
import dev.keiko.workflows.llm.ToolCallRequest;
import dev.keiko.workflows.search.KeikoSearchAttributes;
import dev.keiko.workflows.search.TaskMemo;
import dev.keiko.workflows.search.TaskSearchAttributes;
import dev.keiko.workflows.tool.ScriptedToolActivities;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributes;
import io.temporal.common.converter.DefaultDataConverter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A task workflow started with Keiko's search attributes keeps {@code KeikoStatus} at the status its progress
 * shows, through every change; one started without them upserts nothing. Against the test server, which shows a
 * workflow's attributes through DescribeWorkflowExecution but cannot run a visibility query
 * (ListWorkflowExecutions is unimplemented): that {@code KeikoStatus = "awaiting_approval"} finds the workflow is
 * Temporal's part, given the attribute is right.
 */
class TaskSearchAttributesTest {

    private static final Function<Integer, ChatCompletionOutput> ONE_ECHO = call -> call == 1
            ? ScriptedLlmActivities.toolCalls(List.of(new ToolCallRequest("call-1", "everything__echo",
                    "{\"message\":\"secret plan\"}")), 5, 5)
            : ScriptedLlmActivities.text("done", 5, 5);
    private static final String GOAL = "summarise the private notes of Jane Doe";

    @RegisterExtension
    final TaskWorkflowFixture fixture = new TaskWorkflowFixture();
    private final String ownerId = UUID.randomUUID().toString();

    @Test
    void anAgentTaskShowsEveryStatusChangeInItsAttributes() {
        registerKeikoAttributes();
        TaskWorkflow workflow = startAgent("s1", withKeikoAttributes("s1"));

        WorkflowExecutionDescription started = describe(workflow);
        assertThat(started.getTypedSearchAttributes()).isEqualTo(SearchAttributes.newBuilder()
                .set(KeikoSearchAttributes.KIND, "task")
                .set(KeikoSearchAttributes.TASK_TYPE, "agent")
                .set(KeikoSearchAttributes.STATUS, "pending")
                .set(KeikoSearchAttributes.PRIORITY, "high")
                .set(KeikoSearchAttributes.OWNER, ownerId)
                .set(KeikoSearchAttributes.DEPLOYMENT, "gpt-test")
                .set(KeikoSearchAttributes.SERVERS, List.of("everything"))
                .build());

        start();
        Await.until(() -> "awaiting_approval".equals(status(workflow)));
        assertThat(workflow.progress().status()).isEqualTo("awaiting_approval");
        workflow.decideApproval(new ApprovalDecisionInput("step1-1", "approve", "fine", "alice"));
        WorkflowStub.fromTyped(workflow).getResult(TaskWorkflowOutput.class);

        WorkflowExecutionDescription ended = describe(workflow);
        assertThat(ended.getTypedSearchAttributes().get(KeikoSearchAttributes.STATUS)).isEqualTo("completed");
        assertThat(ended.getTypedSearchAttributes().get(KeikoSearchAttributes.TASK_TYPE)).isEqualTo("agent");
        assertThat(ended.getTypedSearchAttributes().get(KeikoSearchAttributes.OWNER)).isEqualTo(ownerId);
        assertThat(statusUpserts("s1")).containsExactly("running", "awaiting_approval", "running", "completed");
        assertThat(ended.getMemo(TaskMemo.TASK_ID, String.class, String.class)).isEqualTo("s1");
        assertThat(ended.getMemo(TaskMemo.OWNER_ID, String.class, String.class)).isEqualTo(ownerId);
        assertNothingPersonal(ended);
    }

    @Test
    void aCancelledTaskEndsCancelledInItsAttributes() {
        registerKeikoAttributes();
        start();
        TaskWorkflow workflow = startAgent("s2", withKeikoAttributes("s2"));
        Await.until(() -> "awaiting_approval".equals(status(workflow)));

        WorkflowStub.fromTyped(workflow).cancel();

        assertThatThrownBy(() -> WorkflowStub.fromTyped(workflow).getResult(TaskWorkflowOutput.class))
                .isInstanceOf(WorkflowFailedException.class);
        // The cancelled wait for approval leaves the task running (as its progress shows) until it has ended.
        assertThat(statusUpserts("s2")).containsExactly("running", "awaiting_approval", "running", "cancelled");
        assertThat(status(workflow)).isEqualTo("cancelled");
    }

    @Test
    void aFailedTaskEndsFailedInItsAttributes() {
        registerKeikoAttributes();
        start();
        TaskWorkflow workflow = fixture.env.getWorkflowClient().newWorkflowStub(TaskWorkflow.class,
                withKeikoAttributes("s3").setTypedSearchAttributes(new TaskSearchAttributes("tool", "normal", ownerId,
                        null, null, List.of("everything")).toSearchAttributes()).build());

        assertThatThrownBy(() -> workflow.run(new TaskWorkflowInput("s3", TaskTypes.TOOL,
                Map.of("server", "everything"), 60))).isInstanceOf(WorkflowFailedException.class);

        assertThat(statusUpserts("s3")).containsExactly("running", "failed");
        assertThat(status(workflow)).isEqualTo("failed");
    }

    @Test
    void anAgentThatContinuesAsNewKeepsItsAttributesAndMemo() {
        registerKeikoAttributes();
        fixture.start(ScriptedToolActivities.answering(), new ScriptedLlmActivities(call -> call < 1000
                ? ScriptedLlmActivities.toolCalls(List.of(new ToolCallRequest("c" + call, "everything__echo",
                        "{}")), 2, 1)
                : ScriptedLlmActivities.text("Done.", 2, 1)), ScriptedBudgets.unlimited());
        TaskWorkflow workflow = fixture.env.getWorkflowClient().newWorkflowStub(TaskWorkflow.class,
                withKeikoAttributes("s5").build());

        workflow.run(new TaskWorkflowInput("s5", TaskTypes.AGENT, Map.of("goal", GOAL, "tools", List.of("everything"),
                "maxSteps", 1000), 7200));

        WorkflowExecutionDescription last = describe(workflow);
        assertThat(last.getWorkflowExecutionInfo().getExecution().getRunId())
                .isNotEqualTo(last.getWorkflowExecutionInfo().getFirstRunId());
        assertThat(last.getTypedSearchAttributes()).isEqualTo(SearchAttributes.newBuilder(new TaskSearchAttributes(
                "agent", "high", ownerId, null, "gpt-test", List.of("everything")).toSearchAttributes())
                .set(KeikoSearchAttributes.STATUS, "completed").build());
        assertThat(last.getMemo(TaskMemo.TASK_ID, String.class, String.class)).isEqualTo("s5");
        assertThat(last.getMemo(TaskMemo.OWNER_ID, String.class, String.class)).isEqualTo(ownerId);
    }

    @Test
    void aTaskStartedWithoutThemUpsertsNone() {
        start();
        TaskWorkflow workflow = startAgent("s4", WorkflowOptions.newBuilder()
                .setWorkflowId(TaskWorkflowIds.forTask("s4")).setTaskQueue(TaskQueues.TASKS));
        Await.until(() -> "awaiting_approval".equals(workflow.progress().status()));
        workflow.decideApproval(new ApprovalDecisionInput("step1-1", "approve", "fine", "alice"));

        WorkflowStub.fromTyped(workflow).getResult(TaskWorkflowOutput.class);

        assertThat(fixture.history("s4")).noneMatch(event ->
                event.getEventType() == EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES);
        assertThat(describe(workflow).getTypedSearchAttributes().size()).isZero();
    }

    /** What the API's start sets: every Keiko attribute of an agent task, and its memo. */
    private WorkflowOptions.Builder withKeikoAttributes(String taskId) {
        return WorkflowOptions.newBuilder()
                .setWorkflowId(TaskWorkflowIds.forTask(taskId))
                .setTaskQueue(TaskQueues.TASKS)
                .setMemo(TaskMemo.of(taskId, ownerId))
                .setTypedSearchAttributes(new TaskSearchAttributes("agent", "high", ownerId, null, "gpt-test",
                        List.of("everything")).toSearchAttributes());
    }

    private void registerKeikoAttributes() {
        KeikoSearchAttributes.DEFINITIONS.forEach(fixture.env::registerSearchAttribute);
    }

    private void start() {
        fixture.start(ScriptedToolActivities.answering(), new ScriptedLlmActivities(ONE_ECHO),
                ScriptedBudgets.unlimited());
    }

    private TaskWorkflow startAgent(String taskId, WorkflowOptions.Builder options) {
        TaskWorkflow workflow = fixture.env.getWorkflowClient().newWorkflowStub(TaskWorkflow.class, options.build());
        WorkflowClient.start(workflow::run, new TaskWorkflowInput(taskId, TaskTypes.AGENT, Map.of("goal", GOAL,
                "tools", List.of("everything"), "approvalRequired", List.of("everything/echo"),
                "deployment", "gpt-test"), 7200));
        return workflow;
    }

    private static WorkflowExecutionDescription describe(TaskWorkflow workflow) {
        return WorkflowStub.fromTyped(workflow).describe();
    }

    private static String status(TaskWorkflow workflow) {
        return describe(workflow).getTypedSearchAttributes().get(KeikoSearchAttributes.STATUS);
    }

    /** The KeikoStatus of each upsert in the workflow's history, in order. */
    private List<String> statusUpserts(String taskId) {
        return fixture.history(taskId).stream()
                .filter(event -> event.getEventType() == EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES)
                .map(event -> event.getUpsertWorkflowSearchAttributesEventAttributes().getSearchAttributes()
                        .getIndexedFieldsOrThrow(KeikoSearchAttributes.STATUS.getName()))
                .map(status -> DefaultDataConverter.STANDARD_INSTANCE.fromPayload(status, String.class, String.class))
                .toList();
    }

    /** Neither the goal, nor the tool call's arguments, nor the approver's name reach attributes or memo. */
    private void assertNothingPersonal(WorkflowExecutionDescription description) {
        String shown = description.getTypedSearchAttributes().getUntypedValues().values() + " "
                + description.getWorkflowExecutionInfo().getMemo();
        assertThat(shown).doesNotContain("Jane", "private notes", "secret plan", "alice");
    }
}
