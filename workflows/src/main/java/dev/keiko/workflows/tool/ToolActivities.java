package dev.keiko.workflows.tool;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Calls tools on Model Context Protocol servers.
 *
 * <p>Each worker keeps one initialized client per server and reuses it, re-creating it after a
 * transport failure. {@link #callTool} heartbeats while the tool runs, so a cancelled task stops
 * it; the workflow sets a 2 s heartbeat timeout. Transport errors and timeouts are retried by the
 * activity's retry policy; the failure types in {@link ToolFailureTypes} are not retried.
 */
@ActivityInterface
public interface ToolActivities {

    /** Calls one tool. A tool result flagged {@code isError} fails with {@link ToolFailureTypes#TOOL_ERROR}. */
    @ActivityMethod
    ToolCallOutput callTool(ToolCallInput input);

    /** Lists the tools a server offers. */
    @ActivityMethod
    ListToolsOutput listTools(ListToolsInput input);
}
