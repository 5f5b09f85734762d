package dev.keiko.workflows.agent;

import java.util.List;

/** An agent's slots as its slot workflow sees them: the task workflows holding one and those waiting, in order. */
public record AgentSlotsView(AgentLimits limits, List<String> holders, List<String> waiting) {

    public AgentSlotsView {
        holders = List.copyOf(holders);
        waiting = List.copyOf(waiting);
    }
}
