package dev.keiko.workflows.agent;

import java.util.List;

/**
 * What an agent's slot workflow starts with: a new one with the agent id and the check interval alone, a
 * continued one also with the state it carries over.
 *
 * @param agentId the agent's id
 * @param checkIntervalSeconds how often, while a slot is held, the holders are checked for having ended
 * @param carried the state of the run this one continues; {@link SlotsState#EMPTY} for a new workflow
 * @param maxHistoryEvents the history length past which a run continues as new even before Temporal suggests
 *         it; 0 (or absent) for {@link #MAX_HISTORY_EVENTS}
 */
public record AgentSlotsInput(String agentId, long checkIntervalSeconds, SlotsState carried, int maxHistoryEvents) {

    /** A run continues as new past this many history events, well before Temporal's suggestion (about 4,096). */
    public static final int MAX_HISTORY_EVENTS = 2_000;

    public AgentSlotsInput {
        carried = carried == null ? SlotsState.EMPTY : carried;
        maxHistoryEvents = maxHistoryEvents <= 0 ? MAX_HISTORY_EVENTS : maxHistoryEvents;
    }

    public AgentSlotsInput(String agentId, long checkIntervalSeconds, SlotsState carried) {
        this(agentId, checkIntervalSeconds, carried, MAX_HISTORY_EVENTS);
    }

    /** The input of the next run, carrying {@code state}. */
    public AgentSlotsInput continuedWith(SlotsState state) {
        return new AgentSlotsInput(agentId, checkIntervalSeconds, state, maxHistoryEvents);
    }

    /**
     * The state a slot workflow carries over when it continues as new.
     *
     * @param released the task workflows that gave their slot back or left the line lately (at most
     *         {@link #RELEASED_KEPT}), whose late requests are ignored
     */
    public record SlotsState(boolean started, AgentLimits limits, List<String> holders, List<SlotRequest> waiting,
            List<String> released) {

        /** How many released task workflows a slot workflow remembers. */
        public static final int RELEASED_KEPT = 1_000;

        public static final SlotsState EMPTY = new SlotsState(false, AgentLimits.UNKNOWN, List.of(), List.of(),
                List.of());

        public SlotsState {
            limits = limits == null ? AgentLimits.UNKNOWN : limits;
            holders = holders == null ? List.of() : List.copyOf(holders);
            waiting = waiting == null ? List.of() : List.copyOf(waiting);
            released = released == null ? List.of() : List.copyOf(released);
        }
    }
}
