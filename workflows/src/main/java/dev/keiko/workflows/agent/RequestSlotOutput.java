package dev.keiko.workflows.agent;

/** @param slotWorkflowId the slot workflow the request went to */
public record RequestSlotOutput(String slotWorkflowId) {
}
