package dev.keiko.workflows.agent;

public record ReadLimitsInput(String agentId) {
}
