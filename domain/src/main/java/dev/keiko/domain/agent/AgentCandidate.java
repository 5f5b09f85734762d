package dev.keiko.domain.agent;

/** An active agent that could take a task, with its slots taken or asked for (tasks running or waiting). */
public record AgentCandidate(Agent agent, long slotsInUse) {
}
