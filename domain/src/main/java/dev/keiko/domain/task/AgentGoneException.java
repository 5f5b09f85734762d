package dev.keiko.domain.task;

import java.util.UUID;

/** A task's agent was deleted between routing and storing the task; nothing was stored. */
public class AgentGoneException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient RoutedAgent agent;

    public AgentGoneException(RoutedAgent agent) {
        super("Agent " + agent.id() + " no longer exists");
        this.agent = agent;
    }

    public RoutedAgent agent() {
        return agent;
    }
}
