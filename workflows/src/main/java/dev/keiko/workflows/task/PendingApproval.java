package dev.keiko.workflows.task;

/**
 * A tool call waiting for a person's approval.
 *
 * @param approvalId what a decision names: made by the workflow, {@code step<model call>-<tool call>}
 * @param toolCallId the id the model gave the call, for reference; not unique, and never what a decision names
 * @param tool the tool, {@code server/tool}
 * @param argumentsJson the arguments, as JSON
 * @param expiresAtMillis when the wait ends in a rejection, in workflow time
 */
public record PendingApproval(
        String approvalId, String toolCallId, String tool, String argumentsJson, long expiresAtMillis) {
}
