package dev.keiko.workflows.tool;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Lists an MCP server's tools on a worker, where the MCP clients live, for processes that hold
 * none (the API). A short workflow around one {@link ToolActivities#listTools} call with a 30 s
 * start-to-close timeout and three attempts; {@link ToolFailureTypes#UNKNOWN_SERVER} and the other
 * caller errors fail it at once.
 */
@WorkflowInterface
public interface ToolCatalogWorkflow {

    @WorkflowMethod
    ListToolsOutput listTools(ListToolsInput input);
}
