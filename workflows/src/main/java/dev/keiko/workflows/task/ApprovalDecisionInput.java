package dev.keiko.workflows.task;

import com.fasterxml.jackson.annotation.JsonAlias;

/**
 * A person's decision on a tool call that waits for approval.
 *
 * @param approvalId the {@link PendingApproval#approvalId()} decided; decisions recorded before approval
 *     ids existed named the model's tool-call id as {@code toolCallId}, which still reads here
 * @param decision {@code approve} or {@code reject}
 * @param comment why, or null; a rejection's comment goes back to the model
 * @param decidedBy the username of who decided
 */
public record ApprovalDecisionInput(
        @JsonAlias("toolCallId") String approvalId, String decision, String comment, String decidedBy) {

    public static final String APPROVE = "approve";
    public static final String REJECT = "reject";

    public boolean approved() {
        return APPROVE.equals(decision);
    }
}
