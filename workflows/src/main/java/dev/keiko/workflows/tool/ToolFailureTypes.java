package dev.keiko.workflows.tool;

import java.util.List;

/** Failure types of {@link ToolActivities}; all but {@link #MCP_UNAVAILABLE} fail at once, without retry. */
public final class ToolFailureTypes {

    /** The tool ran and reported an error ({@code isError}); the message is the tool's. */
    public static final String TOOL_ERROR = "TOOL_ERROR";

    /** No MCP server of that name is configured or registered. */
    public static final String UNKNOWN_SERVER = "UNKNOWN_SERVER";

    /** The server offers no tool of that name. */
    public static final String UNKNOWN_TOOL = "UNKNOWN_TOOL";

    /** The server rejected the arguments (JSON-RPC invalid params). */
    public static final String INVALID_ARGUMENTS = "INVALID_ARGUMENTS";

    /** The server refused our credentials (HTTP 401 or 403). */
    public static final String AUTHENTICATION_FAILED = "AUTHENTICATION_FAILED";

    /** The server definition cannot be used, for example a stdio command that does not exist. */
    public static final String INVALID_SERVER = "INVALID_SERVER";

    /** The server's allow-list does not include the tool: the server was not called. */
    public static final String TOOL_NOT_ALLOWED = "TOOL_NOT_ALLOWED";

    /**
     * The server's URL points inside (loopback, private, link-local, metadata...) and
     * {@code keiko.mcp.allowed-networks} does not allow it; checked after DNS on every connect.
     */
    public static final String ADDRESS_NOT_ALLOWED = "ADDRESS_NOT_ALLOWED";

    /** The server could not be reached or did not answer; retried by the activity's retry policy. */
    public static final String MCP_UNAVAILABLE = "MCP_UNAVAILABLE";

    public static final List<String> NON_RETRYABLE =
            List.of(TOOL_ERROR, UNKNOWN_SERVER, UNKNOWN_TOOL, INVALID_ARGUMENTS, AUTHENTICATION_FAILED, INVALID_SERVER,
                    TOOL_NOT_ALLOWED, ADDRESS_NOT_ALLOWED);

    private ToolFailureTypes() {
    }
}
