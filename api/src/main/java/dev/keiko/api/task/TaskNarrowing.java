package dev.keiko.api.task;

import dev.keiko.api.problem.Problems;
import dev.keiko.domain.agent.Agent;
import dev.keiko.domain.agent.AgentDefinition;
import dev.keiko.domain.agent.AgentType;
import dev.keiko.domain.llm.LlmProperties;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.stereotype.Component;

/**
 * Narrows a routed task to what its agent allows; a task may only ask for less (422 otherwise). The timeout
 * defaults to the agent's and may be shorter. An {@code llm} agent's provider, deployment and system prompt
 * are the agent's (the task may repeat them); its tools default to the agent's and each one the task names
 * must be within them ({@code server} within {@code server}, {@code server/tool} within either); tools that
 * need approval are the agent's and the task's; {@code maxSteps} and {@code maxTokens} default to the agent's
 * and may be lower. A {@code tool} agent runs only a {@code server/tool} within its tools. Values of the wrong
 * shape are left for {@link TaskValidation} to refuse.
 */
@Component
class TaskNarrowing {

    private final LlmProperties llm;

    TaskNarrowing(LlmProperties llm) {
        this.llm = llm;
    }

    NarrowedTask narrow(Agent agent, Map<String, Object> given, Long timeoutSeconds) {
        AgentDefinition definition = agent.definition();
        String name = definition.name();
        if (timeoutSeconds != null && timeoutSeconds > definition.timeoutSeconds()) {
            throw Problems.unprocessable("'timeoutSeconds' " + timeoutSeconds + " is more than agent '" + name
                    + "' allows (" + definition.timeoutSeconds() + ")");
        }
        int timeout = timeoutSeconds == null ? definition.timeoutSeconds() : timeoutSeconds.intValue();
        Map<String, Object> parameters = new LinkedHashMap<>(given);
        // A key given as null is a key left out: it takes the agent's value, never none at all.
        parameters.values().removeIf(Objects::isNull);
        if (definition.type() == AgentType.TOOL) {
            checkTool(definition, parameters);
        } else {
            narrowAgent(definition, parameters);
        }
        return new NarrowedTask(parameters, timeout);
    }

    private static void checkTool(AgentDefinition agent, Map<String, Object> parameters) {
        if (parameters.get("server") instanceof String server && parameters.get("tool") instanceof String tool
                && !within(agent.tools(), server + "/" + tool)) {
            throw Problems.unprocessable("Tool '" + server + "/" + tool + "' is not among agent '" + agent.name()
                    + "''s tools");
        }
    }

    private void narrowAgent(AgentDefinition agent, Map<String, Object> parameters) {
        String provider = agent.provider() != null ? agent.provider() : llm.provider();
        fixed(agent, parameters, "provider", provider);
        fixed(agent, parameters, "deployment", agent.deployment() != null ? agent.deployment()
                : defaultDeployment(provider));
        fixed(agent, parameters, "system", agent.systemPrompt());
        if (parameters.get("tools") instanceof List<?> tools) {
            for (Object entry : tools) {
                if (entry instanceof String tool && !within(agent.tools(), tool)) {
                    throw Problems.unprocessable("'parameters.tools' names '" + tool + "', which is not within agent '"
                            + agent.name() + "''s tools");
                }
            }
        } else if (!parameters.containsKey("tools")) {
            parameters.put("tools", agent.tools());
        }
        if (!agent.approvalRequired().isEmpty() && (parameters.get("approvalRequired") instanceof List<?>
                || !parameters.containsKey("approvalRequired"))) {
            List<Object> approvals = new ArrayList<>(agent.approvalRequired());
            if (parameters.get("approvalRequired") instanceof List<?> asked) {
                asked.stream().filter(entry -> !approvals.contains(entry)).forEach(approvals::add);
            }
            parameters.put("approvalRequired", approvals);
        }
        atMost(agent, parameters, "maxSteps", agent.maxSteps());
        atMost(agent, parameters, "maxTokens", agent.maxTokensPerTask());
    }

    /** The agent's value for {@code key}: a task may leave it out or repeat it, not name another. */
    private static void fixed(AgentDefinition agent, Map<String, Object> parameters, String key, String value) {
        Object asked = parameters.get(key);
        if (asked != null && !asked.equals(value)) {
            throw Problems.unprocessable("'parameters." + key + "' must be agent '" + agent.name() + "''s own"
                    + (value == null ? ": it sets none" : ""));
        }
        if (value == null) {
            parameters.remove(key);
        } else {
            parameters.put(key, value);
        }
    }

    private static void atMost(AgentDefinition agent, Map<String, Object> parameters, String key, Number limit) {
        if (limit == null) {
            return;
        }
        Object asked = parameters.get(key);
        if (asked == null) {
            parameters.put(key, limit);
        } else if (asked instanceof Number number && number.doubleValue() > limit.doubleValue()) {
            throw Problems.unprocessable("'parameters." + key + "' " + number + " is more than agent '" + agent.name()
                    + "' allows (" + limit + ")");
        }
    }

    /** Whether {@code entry} ({@code server} or {@code server/tool}) is within one of {@code tools}. */
    static boolean within(List<String> tools, String entry) {
        String server = entry.contains("/") ? entry.substring(0, entry.indexOf('/')) : entry;
        return tools.stream().anyMatch(tool -> tool.equals(entry) || tool.equals(server));
    }

    private String defaultDeployment(String provider) {
        return Objects.equals(provider, LlmProperties.OPENAI) ? llm.openai().model() : llm.azure().deployment();
    }
}
