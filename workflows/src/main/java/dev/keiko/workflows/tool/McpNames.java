package dev.keiko.workflows.tool;

import java.util.regex.Pattern;

/**
 * The names of MCP servers and tools Keiko accepts, as they reach Temporal (activity summaries,
 * workflow ids) and logs: letters, digits, {@code .}, {@code _} and {@code -}, at most 64 characters
 * for a server and 128 for a tool (the MCP specification's advice for tool names).
 */
public final class McpNames {

    public static final int MAX_SERVER_NAME = 64;
    public static final int MAX_TOOL_NAME = 128;

    private static final Pattern SERVER = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_SERVER_NAME + "}");
    private static final Pattern TOOL = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_TOOL_NAME + "}");

    public static final String SERVER_RULE = "1 to " + MAX_SERVER_NAME + " letters, digits, '.', '_' or '-'";
    public static final String TOOL_RULE = "1 to " + MAX_TOOL_NAME + " letters, digits, '.', '_' or '-'";

    private McpNames() {
    }

    public static boolean isServerName(String name) {
        return name != null && SERVER.matcher(name).matches();
    }

    public static boolean isToolName(String name) {
        return name != null && TOOL.matcher(name).matches();
    }
}
