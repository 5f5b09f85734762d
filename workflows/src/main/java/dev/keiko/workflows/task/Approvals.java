package dev.keiko.workflows.task;

import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tool calls of a task that wait for approval, and the decisions people sent through the
 * workflow's update. Lives on the workflow thread; every change is recorded in workflow history.
 */
final class Approvals {

    private final Map<String, PendingApproval> pending = new LinkedHashMap<>();
    private final Map<String, ApprovalDecisionInput> decisions = new LinkedHashMap<>();
    private final Runnable changed;

    Approvals(Runnable changed) {
        this.changed = changed;
    }

    /**
     * Waits for a decision on the call; an approval nobody gives within {@code timeout} is a rejection.
     * {@code waiting} runs once the call can be decided.
     */
    ApprovalDecisionInput await(String toolCallId, String tool, String argumentsJson, Duration timeout,
            Runnable waiting) {
        pending.put(toolCallId, new PendingApproval(toolCallId, tool, argumentsJson,
                Workflow.currentTimeMillis() + timeout.toMillis()));
        changed.run();
        waiting.run();
        try {
            boolean decided = Workflow.await(timeout, () -> decisions.containsKey(toolCallId));
            return decided ? decisions.get(toolCallId) : new ApprovalDecisionInput(toolCallId,
                    ApprovalDecisionInput.REJECT, "No one approved the call within " + timeout.toSeconds() + " s", null);
        } finally {
            pending.remove(toolCallId);
            changed.run();
        }
    }

    /** Throws {@link IllegalArgumentException} (the update's rejection) unless the decision fits a waiting call. */
    void validate(ApprovalDecisionInput input) {
        if (input == null || input.toolCallId() == null || !pending.containsKey(input.toolCallId())) {
            throw new IllegalArgumentException("No tool call '" + (input == null ? null : input.toolCallId())
                    + "' is waiting for approval" + (pending.isEmpty() ? "" : "; waiting: " + pending.keySet()));
        }
        if (decisions.containsKey(input.toolCallId())) {
            throw new IllegalArgumentException("Tool call '" + input.toolCallId() + "' has already been decided");
        }
        if (!ApprovalDecisionInput.APPROVE.equals(input.decision())
                && !ApprovalDecisionInput.REJECT.equals(input.decision())) {
            throw new IllegalArgumentException("'decision' must be approve or reject");
        }
    }

    ApprovalDecisionOutput decide(ApprovalDecisionInput input) {
        decisions.put(input.toolCallId(), input);
        return new ApprovalDecisionOutput(input.toolCallId(), input.decision());
    }

    List<PendingApproval> pending() {
        return new ArrayList<>(pending.values());
    }
}
