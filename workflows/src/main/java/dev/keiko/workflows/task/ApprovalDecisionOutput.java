package dev.keiko.workflows.task;

/** The decision as the workflow took it. */
public record ApprovalDecisionOutput(String approvalId, String decision) {
}
