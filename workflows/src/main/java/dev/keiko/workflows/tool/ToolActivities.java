package dev.keiko.workflows.tool;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Calls tools on Model Context Protocol servers.
 *
 * <p>Each worker keeps one initialized client per server and reuses it, re-creating it after a
 * transport failure. {@link #callTool} heartbeats while the tool runs, so a cancelled task stops
 * it; the workflow sets a 5 s heartbeat timeout. Transport errors and timeouts are retried by the
 * activity's retry policy; the failure types in {@link ToolFailureTypes} are not retried.
 */
@ActivityInterface
public interface ToolActivities {

    /**
     * Calls one tool. A tool result flagged {@code isError} fails with {@link ToolFailureTypes#TOOL_ERROR};
     * a tool outside the server's allow-list fails with {@link ToolFailureTypes#TOOL_NOT_ALLOWED} without
     * the server being called; an HTTP server whose URL resolves inside fails with
     * {@link ToolFailureTypes#ADDRESS_NOT_ALLOWED}. Output over {@code keiko.mcp.max-tool-output} is cut
     * and marked {@link ToolCallOutput#truncated()}.
     */
    @ActivityMethod
    ToolCallOutput callTool(ToolCallInput input);

    /**
     * Lists the tools a server offers: those its allow-list lets tasks call, unless
     * {@link ListToolsInput#includeNotAllowed()}.
     */
    @ActivityMethod
    ListToolsOutput listTools(ListToolsInput input);
}
