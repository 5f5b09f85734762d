package dev.keiko.domain.agent;

import java.util.List;

/** One page of agents, and the cursor of the next page or null when this is the last. */
public record AgentPage(List<Agent> agents, String nextCursor) {
}
