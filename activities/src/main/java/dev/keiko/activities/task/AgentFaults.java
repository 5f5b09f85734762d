package dev.keiko.activities.task;

import dev.keiko.workflows.llm.LlmFailureTypes;
import dev.keiko.workflows.tool.ToolFailureTypes;
import java.util.Set;

/**
 * The failure types that are a routed task's agent's own fault rather than the task's or the moment's: its
 * model or tools are set up wrong, so its next tasks would fail the same way. A task failing with one of them
 * puts its agent in error until one of its tasks completes or it is changed.
 */
final class AgentFaults {

    static final Set<String> TYPES = Set.of(
            LlmFailureTypes.UNKNOWN_DEPLOYMENT,
            LlmFailureTypes.PROVIDER_NOT_CONFIGURED,
            LlmFailureTypes.AUTHENTICATION_FAILED,
            ToolFailureTypes.AUTHENTICATION_FAILED,
            ToolFailureTypes.UNKNOWN_SERVER,
            ToolFailureTypes.UNKNOWN_TOOL,
            ToolFailureTypes.TOOL_NOT_ALLOWED);

    private AgentFaults() {
    }

    static boolean isAgentFault(String errorType) {
        return errorType != null && TYPES.contains(errorType);
    }
}
