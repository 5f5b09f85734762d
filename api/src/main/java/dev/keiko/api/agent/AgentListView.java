package dev.keiko.api.agent;

import java.util.List;

/** One page of {@code GET /api/v1/agents}, newest first; {@code nextCursor} is null on the last page. */
record AgentListView(List<AgentView> agents, String nextCursor) {
}
