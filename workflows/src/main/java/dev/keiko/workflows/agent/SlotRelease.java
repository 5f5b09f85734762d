package dev.keiko.workflows.agent;

/** A task workflow gives its slot back, or leaves the line. */
public record SlotRelease(String taskWorkflowId) {
}
