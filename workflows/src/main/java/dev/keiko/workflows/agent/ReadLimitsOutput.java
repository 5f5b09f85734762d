package dev.keiko.workflows.agent;

public record ReadLimitsOutput(AgentLimits limits) {
}
