package dev.keiko.workflows.tool;

/**
 * Which server's tools to list.
 *
 * @param server the MCP server's name
 * @param includeNotAllowed whether to list the tools its allow-list leaves out too: only for showing a
 *     server to the people who manage it, never for offering tools to a task
 */
public record ListToolsInput(String server, boolean includeNotAllowed) {

    /** The tools tasks may call. */
    public ListToolsInput(String server) {
        this(server, false);
    }
}
