package dev.keiko.api.agent;

import dev.keiko.api.problem.Problems;
import dev.keiko.workflows.tool.McpNames;

/** One entry of an agent's {@code tools} or {@code approvalRequired}: a whole server when {@code tool} is null. */
record ToolEntry(String server, String tool) {

    /** Reads {@code server} or {@code server/tool}, named as agent tasks name them; 400 otherwise. */
    static ToolEntry parse(String list, String entry) {
        int slash = entry.indexOf('/');
        ToolEntry parsed = slash < 0 ? new ToolEntry(entry, null)
                : new ToolEntry(entry.substring(0, slash), entry.substring(slash + 1));
        if (!McpNames.isServerName(parsed.server()) || (parsed.tool() != null && !McpNames.isToolName(parsed.tool()))) {
            throw Problems.badRequest("Each of '" + list + "' must name a server of " + McpNames.SERVER_RULE
                    + ", optionally '/' and a tool of " + McpNames.TOOL_RULE);
        }
        return parsed;
    }

    boolean covers(ToolEntry other) {
        return server.equals(other.server) && (tool == null || tool.equals(other.tool));
    }
}
