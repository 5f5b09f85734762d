package dev.keiko.workflows.task;

import dev.keiko.workflows.tool.McpNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The parameters of an {@link TaskTypes#AGENT} task: {@code goal}, {@code tools} (MCP server names, or
 * {@code server/tool} for one tool), {@code maxSteps} (model calls, default 10), and optionally
 * {@code system}, {@code provider}, {@code deployment}, {@code temperature}, {@code approvalRequired} (tools,
 * named like {@code tools}, whose calls wait for a person's approval) and {@code approvalTimeoutSeconds}
 * (default 3600; an approval nobody gives in time rejects the call), and {@code maxTokens}, the most
 * tokens the whole task may spend.
 */
public record AgentTaskParameters(
        String goal,
        List<ToolSelection> tools,
        int maxSteps,
        String system,
        String provider,
        String deployment,
        Double temperature,
        List<ToolSelection> approvalRequired,
        int approvalTimeoutSeconds,
        Long maxTokens) {

    public static final int DEFAULT_MAX_STEPS = 10;
    public static final int MAX_STEPS_LIMIT = 1000;
    public static final int DEFAULT_APPROVAL_TIMEOUT_SECONDS = 3600;

    /** Whether a call of {@code tool} on {@code server} waits for approval. */
    public boolean needsApproval(String server, String tool) {
        return approvalRequired.stream().anyMatch(selection -> selection.server().equals(server)
                && (selection.tool() == null || selection.tool().equals(tool)));
    }

    /** One entry of {@code tools}: a whole server when {@code tool} is null. */
    public record ToolSelection(String server, String tool) {
    }

    /** Reads the parameters; throws {@link InvalidParametersException} when they do not fit. */
    public static AgentTaskParameters from(Map<String, Object> parameters) {
        ParameterReader reader = new ParameterReader(parameters);
        String goal = reader.requiredString("goal", "what the agent should achieve");
        List<ToolSelection> tools = selections(reader, "tools");
        Integer maxSteps = reader.optionalInteger("maxSteps", 1, MAX_STEPS_LIMIT);
        Integer approvalTimeout = reader.optionalInteger("approvalTimeoutSeconds", 1, 7 * 24 * 3600);
        Integer maxTokens = reader.optionalInteger("maxTokens", 1, Integer.MAX_VALUE);
        return new AgentTaskParameters(goal, tools, maxSteps == null ? DEFAULT_MAX_STEPS : maxSteps,
                reader.optionalString("system"), CompletionTaskParameters.provider(reader),
                reader.optionalString("deployment"), reader.optionalNumber("temperature", 0, 2),
                selections(reader, "approvalRequired"),
                approvalTimeout == null ? DEFAULT_APPROVAL_TIMEOUT_SECONDS : approvalTimeout,
                maxTokens == null ? null : maxTokens.longValue());
    }

    private static List<ToolSelection> selections(ParameterReader reader, String name) {
        List<ToolSelection> selections = new ArrayList<>();
        List<?> given = reader.optionalList(name);
        for (int i = 0; given != null && i < given.size(); i++) {
            selections.add(selection(given.get(i), name, i));
        }
        return List.copyOf(selections);
    }

    private static ToolSelection selection(Object value, String list, int index) {
        if (!(value instanceof String name) || name.isBlank() || name.startsWith("/") || name.endsWith("/")
                || name.indexOf('/') != name.lastIndexOf('/')) {
            throw new InvalidParametersException("'parameters." + list + "[" + index + "]' must be a server name or"
                    + " 'server/tool'");
        }
        int slash = name.indexOf('/');
        ToolSelection selection = slash < 0 ? new ToolSelection(name, null)
                : new ToolSelection(name.substring(0, slash), name.substring(slash + 1));
        if (!McpNames.isServerName(selection.server())
                || (selection.tool() != null && !McpNames.isToolName(selection.tool()))) {
            throw new InvalidParametersException("'parameters." + list + "[" + index + "]' must name a server of "
                    + McpNames.SERVER_RULE + ", optionally '/' and a tool of " + McpNames.TOOL_RULE);
        }
        return selection;
    }
}
