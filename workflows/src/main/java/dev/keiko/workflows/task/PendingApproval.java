package dev.keiko.workflows.task;

/** A tool call waiting for a person's approval: which tool, with which arguments (JSON), until when. */
public record PendingApproval(String toolCallId, String tool, String argumentsJson, long expiresAtMillis) {
}
