package dev.keiko.workflows.task;

import dev.keiko.workflows.llm.ToolCallRequest;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tool calls of a task that wait for approval, and the decisions people sent through the
 * workflow's update, both by approval id. Lives on the workflow thread; every change is recorded in
 * workflow history.
 */
final class Approvals {

    /** Approvals that began to wait, and that ended (decided, timed out or cancelled); Temporal's metrics scope. */
    static final String REQUESTED_METER = "keiko.approvals.requested";
    static final String ENDED_METER = "keiko.approvals.ended";

    private static final int MAX_QUOTED = 128;

    private final Map<String, PendingApproval> pending = new LinkedHashMap<>();
    private final Map<String, ApprovalDecisionInput> decisions = new LinkedHashMap<>();
    private final Runnable changed;

    Approvals(Runnable changed) {
        this.changed = changed;
    }

    /**
     * Waits for a decision on the call under {@code approvalId}; an approval nobody gives within
     * {@code timeout} is a rejection. {@code waiting} runs once the call can be decided.
     */
    ApprovalDecisionInput await(String approvalId, ToolCallRequest call, String tool, Duration timeout,
            Runnable waiting) {
        pending.put(approvalId, new PendingApproval(approvalId, call.id(), tool, call.argumentsJson(),
                Workflow.currentTimeMillis() + timeout.toMillis()));
        changed.run();
        waiting.run();
        // Replay-aware meters (nothing is counted while a worker replays), per worker process: rates of approvals
        // requested and ended. What waits now is the API's gauge keiko.approvals.waiting.
        Workflow.getMetricsScope().counter(REQUESTED_METER).inc(1);
        try {
            boolean decided = Workflow.await(timeout, () -> decisions.containsKey(approvalId));
            Workflow.getMetricsScope().counter(ENDED_METER).inc(1);
            return decided ? decisions.get(approvalId) : new ApprovalDecisionInput(approvalId,
                    ApprovalDecisionInput.REJECT, "No one approved the call within " + timeout.toSeconds() + " s", null);
        } catch (CanceledFailure cancelled) {
            // Not in finally: a worker that evicts the workflow from its cache unwinds this thread too.
            Workflow.getMetricsScope().counter(ENDED_METER).inc(1);
            throw cancelled;
        } finally {
            pending.remove(approvalId);
            changed.run();
        }
    }

    /** Throws {@link IllegalArgumentException} (the update's rejection) unless the decision fits a waiting call. */
    void validate(ApprovalDecisionInput input) {
        if (input == null || input.approvalId() == null || !pending.containsKey(input.approvalId())) {
            throw new IllegalArgumentException("No approval '" + quoted(input == null ? null : input.approvalId())
                    + "' is waiting" + (pending.isEmpty() ? "" : "; waiting: " + pending.keySet()));
        }
        if (decisions.containsKey(input.approvalId())) {
            throw new IllegalArgumentException("Approval '" + input.approvalId() + "' has already been decided");
        }
        if (!ApprovalDecisionInput.APPROVE.equals(input.decision())
                && !ApprovalDecisionInput.REJECT.equals(input.decision())) {
            throw new IllegalArgumentException("'decision' must be approve or reject");
        }
    }

    ApprovalDecisionOutput decide(ApprovalDecisionInput input) {
        decisions.put(input.approvalId(), input);
        return new ApprovalDecisionOutput(input.approvalId(), input.decision());
    }

    List<PendingApproval> pending() {
        return new ArrayList<>(pending.values());
    }

    private static String quoted(String id) {
        return id == null || id.length() <= MAX_QUOTED ? id : id.substring(0, MAX_QUOTED) + "…";
    }
}
