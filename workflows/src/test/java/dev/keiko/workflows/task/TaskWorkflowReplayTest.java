package dev.keiko.workflows.task;

import static org.assertj.core.api.Assertions.assertThatCode;

import io.temporal.testing.WorkflowReplayer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Fails when a change to {@link TaskWorkflowImpl} would break workflows already running. */
class TaskWorkflowReplayTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "task-workflow-tool.json", // a tool task with a retried call
        "task-workflow-invalid-parameters.json", // a tool task that failed on its parameters
        "task-workflow-completion.json", // recorded before per-user budgets
        "task-workflow-completion-reserved.json", // the model call reserves and settles the owner's tokens itself
        "task-workflow-agent.json", // parallel tool calls
        "task-workflow-agent-reserved.json", // each model call reserves and settles the owner's tokens itself
        "task-workflow-agent-continued.json", // a run continued from a checkpoint; the owner's budget read and
                                              // the tokens recorded by activities of their own
        "task-workflow-agent-approval-before-events.json", // approved, recorded before approvals were announced
        "task-workflow-agent-approval.json", // approved, with the wait and the decision announced
        // still waiting, on a call the model sent without an id, from before approval ids (approvals by the
        // model's id): derived from task-workflow-agent-approval.json, cut after the wait began and "call_1"
        // replaced by null in its payloads
        "task-workflow-agent-approval-without-id.json",
        // approvals by workflow-made ids: one approved, a reused model id rejected; bad calls refused
        "task-workflow-agent-approval-ids.json",
        // routed to an agent: waited second in line (its place announced), got the slot, ran, gave it back
        "task-workflow-agent-slot.json",
        // started with Keiko's search attributes: KeikoStatus upserted running, awaiting_approval, running, completed
        "task-workflow-agent-search-attributes.json",
        // cancelled while the model call answered: the call, waited for, handed over its text so far, which the
        // recorded outcome keeps
        "task-workflow-completion-cancelled.json",
        // cancelled while its second model call answered, after a tool round: the outcome keeps the text so far,
        // every call's tokens and the steps
        "task-workflow-agent-cancelled.json",
        // routed to an agent, recorded with a slot request activity that got through, then did not return until
        // after what follows. Granted its slot meanwhile: the grant cancelled the request, then the timer
        "task-workflow-agent-slot-request-cancelled.json",
        // cancelled while it waited in line meanwhile: the cancel reached the request, then the timer
        "task-workflow-agent-slot-cancelled-while-requesting.json",
        // routed to an agent on version 1 of slot-request-left-to-finish: waited while its agent was inactive, was
        // granted its slot while its slot request had not returned, cancelled the timer alone, and the request
        // completed afterwards; recorded by RoutedTaskHistoryRecordingTest
        "task-workflow-agent-slot-request-left.json",
        // version 1 of local-task-records: marked running and its outcome recorded (after two failed attempts) by
        // local activities; recorded by LocalRecordsHistoryRecordingTest
        "task-workflow-tool-local-records.json",
        // version 1 of local-task-records, cancelled during its tool call: the outcome recorded by an ordinary
        // activity, scheduled beside the call's cancel; recorded by LocalRecordsHistoryRecordingTest
        "task-workflow-tool-local-records-cancelled.json"
    })
    void replaysARecordedHistory(String history) {
        assertThatCode(() -> WorkflowReplayer.replayWorkflowExecutionFromResource("histories/" + history,
                TaskWorkflowImpl.class)).doesNotThrowAnyException();
    }
}
