package dev.keiko.api.task;

import dev.keiko.domain.agent.Agent;
import dev.keiko.domain.task.RoutedAgent;

/** Where a submitted task goes: its type, and the agent it was routed to (null for a task outside any agent). */
record TaskRoute(String type, Agent agent) {

    boolean routed() {
        return agent != null;
    }

    RoutedAgent routedAgent() {
        return agent == null ? null : new RoutedAgent(agent.id(), agent.definition().name());
    }
}
