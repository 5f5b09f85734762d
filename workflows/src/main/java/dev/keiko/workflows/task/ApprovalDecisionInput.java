package dev.keiko.workflows.task;

/**
 * A person's decision on a tool call that waits for approval.
 *
 * @param decision {@code approve} or {@code reject}
 * @param comment why, or null; a rejection's comment goes back to the model
 * @param decidedBy the username of who decided
 */
public record ApprovalDecisionInput(String toolCallId, String decision, String comment, String decidedBy) {

    public static final String APPROVE = "approve";
    public static final String REJECT = "reject";

    public boolean approved() {
        return APPROVE.equals(decision);
    }
}
