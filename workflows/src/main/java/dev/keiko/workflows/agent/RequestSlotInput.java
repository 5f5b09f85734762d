package dev.keiko.workflows.agent;

/** The agent whose slot is asked for, and the request to pass on. */
public record RequestSlotInput(String agentId, SlotRequest request) {
}
