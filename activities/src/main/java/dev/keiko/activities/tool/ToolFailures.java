package dev.keiko.activities.tool;

import dev.keiko.activities.mcp.InvalidServerException;
import dev.keiko.domain.mcp.AddressNotAllowedException;
import dev.keiko.workflows.tool.McpNames;
import dev.keiko.workflows.tool.ToolFailureTypes;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what went wrong in a tool call into the activity's failure: the caller's mistakes are not
 * retried, everything else (transport errors, timeouts) is left to the retry policy.
 */
final class ToolFailures {

    private static final Logger log = LoggerFactory.getLogger(ToolFailures.class);

    private static final int MAX_MESSAGE = 4000;

    /** Retried: the server could not be reached or did not answer in time. */
    static final String UNAVAILABLE = ToolFailureTypes.MCP_UNAVAILABLE;

    // The SSE transport only reports HTTP statuses in its messages.
    private static final Pattern AUTH_STATUS =
            Pattern.compile("(?i)(status code|HTTP code|SSE stream):? *(401|403)\\b");

    private ToolFailures() {
    }

    static ApplicationFailure unknownServer(String server) {
        return ApplicationFailure.newNonRetryableFailure("No MCP server is named '" + server + "'",
                ToolFailureTypes.UNKNOWN_SERVER);
    }

    static ApplicationFailure unknownTool(String server, String tool) {
        return ApplicationFailure.newNonRetryableFailure("MCP server '" + server + "' has no tool '" + tool + "'",
                ToolFailureTypes.UNKNOWN_TOOL);
    }

    static ApplicationFailure toolNotAllowed(String server, String tool) {
        String named = McpNames.isToolName(tool) ? "Tool '" + tool + "'" : "A tool whose name is not "
                + McpNames.TOOL_RULE;
        return ApplicationFailure.newNonRetryableFailure(named + " of MCP server '" + server
                + "' is not allowed for tasks", ToolFailureTypes.TOOL_NOT_ALLOWED);
    }

    static ApplicationFailure toolError(String message) {
        return ApplicationFailure.newNonRetryableFailure(bounded(message), ToolFailureTypes.TOOL_ERROR);
    }

    /** A server's own words, cut to a size that suits a failure message in workflow history. */
    static String bounded(String message) {
        return message == null || message.length() <= MAX_MESSAGE ? message
                : message.substring(0, MAX_MESSAGE) + " [cut at " + MAX_MESSAGE + " characters]";
    }

    /** A JSON-RPC error the server answered with, once an unknown tool is ruled out. */
    static RuntimeException rpcError(String server, McpError error) {
        if (code(error) == McpSchema.ErrorCodes.INVALID_PARAMS) {
            return ApplicationFailure.newNonRetryableFailure("MCP server '" + server + "' rejected the arguments: "
                    + bounded(error.getMessage()), ToolFailureTypes.INVALID_ARGUMENTS);
        }
        return error;
    }

    static int code(McpError error) {
        return error.getJsonRpcError() == null || error.getJsonRpcError().code() == null ? 0
                : error.getJsonRpcError().code();
    }

    /**
     * What went wrong, in words that never repeat what a remote answered outside the MCP protocol
     * (status lines, bodies): registering a URL must not become a way to read a network. The detail
     * goes to the worker's debug log; it holds no header values, which may be secrets.
     */
    static RuntimeException of(String server, Throwable error) {
        if (error instanceof ApplicationFailure failure) {
            return failure;
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof AddressNotAllowedException refused) {
                return ApplicationFailure.newNonRetryableFailure("MCP server '" + server + "' may not be reached: "
                        + refused.getMessage(), ToolFailureTypes.ADDRESS_NOT_ALLOWED);
            }
            if (cause instanceof InvalidServerException || cannotStartProcess(cause)) {
                return ApplicationFailure.newNonRetryableFailureWithCause(cause.getMessage(),
                        ToolFailureTypes.INVALID_SERVER, error);
            }
            if (isAuthorizationFailure(cause)) {
                return ApplicationFailure.newNonRetryableFailure("MCP server '" + server
                        + "' refused the credentials", ToolFailureTypes.AUTHENTICATION_FAILED);
            }
            if (cause instanceof TimeoutException) {
                return ApplicationFailure.newFailure("MCP server '" + server + "' did not answer in time",
                        UNAVAILABLE);
            }
        }
        log.debug("MCP server '{}' is unavailable: {}", server, McpError.aggregateExceptionMessages(error));
        if (error instanceof McpError rpc && rpc.getJsonRpcError() != null) {
            // A JSON-RPC error from a server that speaks MCP: its own words, not a stray HTTP answer.
            return ApplicationFailure.newFailure("MCP server '" + server + "' failed: " + bounded(rpc.getMessage()),
                    UNAVAILABLE);
        }
        return ApplicationFailure.newFailure("MCP server '" + server
                + "' is unreachable or did not answer as an MCP server", UNAVAILABLE);
    }

    private static boolean cannotStartProcess(Throwable cause) {
        return cause instanceof IOException && cause.getMessage() != null
                && cause.getMessage().startsWith("Cannot run program");
    }

    private static boolean isAuthorizationFailure(Throwable cause) {
        if (cause instanceof McpHttpClientTransportAuthorizationException auth && auth.getResponseInfo() != null) {
            int status = auth.getResponseInfo().statusCode();
            return status == 401 || status == 403;
        }
        return cause.getMessage() != null && AUTH_STATUS.matcher(cause.getMessage()).find();
    }
}
