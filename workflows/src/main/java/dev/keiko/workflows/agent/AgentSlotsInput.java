package dev.keiko.workflows.agent;

import java.util.List;

/**
 * What an agent's slot workflow starts with: a new one with the agent id and the check interval alone, a
 * continued one also with the state it carries over.
 *
 * @param agentId the agent's id
 * @param checkIntervalSeconds how often, while a slot is held, the holders are checked for having ended
 * @param carried the state of the run this one continues; {@link SlotsState#EMPTY} for a new workflow
 */
public record AgentSlotsInput(String agentId, long checkIntervalSeconds, SlotsState carried) {

    public AgentSlotsInput {
        carried = carried == null ? SlotsState.EMPTY : carried;
    }

    /** The state a slot workflow carries over when it continues as new. */
    public record SlotsState(boolean started, AgentLimits limits, List<String> holders, List<SlotRequest> waiting) {

        public static final SlotsState EMPTY = new SlotsState(false, AgentLimits.UNKNOWN, List.of(), List.of());

        public SlotsState {
            limits = limits == null ? AgentLimits.UNKNOWN : limits;
            holders = holders == null ? List.of() : List.copyOf(holders);
            waiting = waiting == null ? List.of() : List.copyOf(waiting);
        }
    }
}
