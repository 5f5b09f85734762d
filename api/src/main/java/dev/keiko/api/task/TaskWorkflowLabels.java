package dev.keiko.api.task;

import dev.keiko.api.search.NamespaceSearchAttributes;
import dev.keiko.domain.llm.LlmProperties;
import dev.keiko.domain.task.Task;
import dev.keiko.workflows.TemporalLimits;
import dev.keiko.workflows.search.TaskMemo;
import dev.keiko.workflows.search.TaskSearchAttributes;
import dev.keiko.workflows.task.TaskTypes;
import io.temporal.client.WorkflowOptions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * What the Temporal Web UI shows of a task's workflow beside its summary: Keiko's search attributes (where the
 * namespace has them), a memo with the task's and its submitter's ids, and one line of details. Ids, types and
 * names only: no prompt text, no arguments, of people only their user id.
 */
@Component
class TaskWorkflowLabels {

    /** The most servers the details name; the search attribute holds them all. */
    static final int SERVERS_NAMED = 10;

    private final NamespaceSearchAttributes namespace;
    private final LlmProperties llm;

    TaskWorkflowLabels(NamespaceSearchAttributes namespace, LlmProperties llm) {
        this.namespace = namespace;
        this.llm = llm;
    }

    /** Adds them to the options of the task's workflow; the first call asks Temporal: not on the event loop. */
    WorkflowOptions.Builder label(WorkflowOptions.Builder options, Task task) {
        TaskSearchAttributes attributes = attributes(task);
        options.setMemo(TaskMemo.of(task.id().toString(), task.ownerId().toString()))
                .setStaticDetails(TemporalLimits.details(details(task, attributes)));
        if (namespace.registered()) {
            options.setTypedSearchAttributes(attributes.toSearchAttributes());
        }
        return options;
    }

    TaskSearchAttributes attributes(Task task) {
        return new TaskSearchAttributes(task.type(), task.priority().value(), task.ownerId().toString(),
                task.agent() == null ? null : task.agent().id().toString(), deployment(task), servers(task));
    }

    /** For example {@code Keiko task 0f…: agent, priority high, timeout 300 s, agent reviewer (id), ...}. */
    private static String details(Task task, TaskSearchAttributes attributes) {
        StringBuilder details = new StringBuilder("Keiko task ").append(task.id()).append(": ").append(task.type())
                .append(", priority ").append(task.priority().value())
                .append(", timeout ").append(task.timeoutSeconds()).append(" s");
        if (task.agent() != null) {
            details.append(", agent ").append(task.agent().name()).append(" (").append(task.agent().id()).append(')');
        }
        if (attributes.deployment() != null) {
            details.append(", deployment ").append(attributes.deployment());
        }
        List<String> servers = attributes.servers();
        if (!servers.isEmpty()) {
            details.append(", servers ").append(String.join(" ", servers.subList(0,
                    Math.min(SERVERS_NAMED, servers.size()))));
            if (servers.size() > SERVERS_NAMED) {
                details.append(" and ").append(servers.size() - SERVERS_NAMED).append(" more");
            }
        }
        return details.toString();
    }

    /** The deployment a model task names, or its provider's default; null for a tool task or when none is set. */
    private String deployment(Task task) {
        if (TaskTypes.TOOL.equals(task.type())) {
            return null;
        }
        JsonNode parameters = task.parameters();
        if (parameters.has("deployment") && parameters.get("deployment").isString()) {
            return parameters.get("deployment").asString();
        }
        String provider = parameters.has("provider") && parameters.get("provider").isString()
                ? parameters.get("provider").asString() : llm.provider();
        boolean images = TaskTypes.IMAGE.equals(task.type());
        String fallback = switch (provider) {
            case LlmProperties.AZURE -> images ? llm.azure().imageDeployment() : llm.azure().deployment();
            case LlmProperties.OPENAI -> images ? llm.openai().imageModel() : llm.openai().model();
            default -> null;
        };
        return fallback == null || fallback.isBlank() ? null : fallback;
    }

    /** The MCP servers a tool task calls or an agent task may call, each once, in the order named. */
    private static List<String> servers(Task task) {
        JsonNode parameters = task.parameters();
        if (TaskTypes.TOOL.equals(task.type()) && parameters.has("server") && parameters.get("server").isString()) {
            return List.of(parameters.get("server").asString());
        }
        if (!TaskTypes.AGENT.equals(task.type()) || !parameters.has("tools") || !parameters.get("tools").isArray()) {
            return List.of();
        }
        Set<String> servers = new LinkedHashSet<>();
        for (JsonNode tool : parameters.get("tools")) {
            if (tool.isString()) {
                String name = tool.asString();
                int slash = name.indexOf('/');
                servers.add(slash < 0 ? name : name.substring(0, slash));
            }
        }
        return new ArrayList<>(servers);
    }
}
