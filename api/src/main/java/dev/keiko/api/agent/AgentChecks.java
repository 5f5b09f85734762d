package dev.keiko.api.agent;

import dev.keiko.api.auth.CurrentUser;
import dev.keiko.api.problem.Problems;
import dev.keiko.api.task.TaskProperties;
import dev.keiko.domain.agent.AgentDefinition;
import dev.keiko.domain.agent.AgentRetryPolicy;
import dev.keiko.domain.agent.AgentType;
import dev.keiko.domain.llm.LlmDeployments;
import dev.keiko.domain.llm.LlmProperties;
import dev.keiko.domain.mcp.McpServer;
import dev.keiko.domain.mcp.McpServerCatalog;
import dev.keiko.workflows.task.AgentTaskParameters;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Turns a request into an agent definition, or refuses it: fields that do not fit together answer 400;
 * an MCP server whose roles exclude the writer 403; an unknown server, a tool outside a server's
 * allow-list, an unconfigured provider or an unknown deployment 422. The same rules as agent tasks.
 */
@Component
class AgentChecks {

    private final McpServerCatalog servers;
    private final LlmProperties llm;
    private final LlmDeployments deployments;
    private final TaskProperties tasks;

    AgentChecks(McpServerCatalog servers, LlmProperties llm, LlmDeployments deployments, TaskProperties tasks) {
        this.servers = servers;
        this.llm = llm;
        this.deployments = deployments;
        this.tasks = tasks;
    }

    /** The definition a request makes of {@code current} (null: a new agent), checked against what exists. */
    Mono<AgentDefinition> definition(CurrentUser writer, AgentRequest request, AgentDefinition current) {
        return Mono.fromCallable(() -> merge(request, current))
                .flatMap(definition -> Flux.fromIterable(definition.tools())
                        .concatMap(entry -> allowed(writer, ToolEntry.parse("tools", entry)))
                        .then(model(definition))
                        .thenReturn(definition));
    }

    private AgentDefinition merge(AgentRequest request, AgentDefinition current) {
        if (current == null && (request.name() == null || request.type() == null)) {
            throw Problems.badRequest("An agent needs a 'name' and a 'type' (llm or tool)");
        }
        AgentType type = current == null ? AgentType.of(request.type()) : current.type();
        if (request.type() != null && AgentType.of(request.type()) != type) {
            throw Problems.badRequest("An agent's 'type' cannot change: create another agent");
        }
        int timeout = or(request.timeoutSeconds(), current == null ? AgentDefinition.DEFAULT_TIMEOUT_SECONDS
                : current.timeoutSeconds());
        if (timeout > tasks.maxTimeout().toSeconds()) {
            throw Problems.badRequest("'timeoutSeconds' must be at most " + tasks.maxTimeout().toSeconds()
                    + " (keiko.tasks.max-timeout)");
        }
        AgentRetryPolicy retry = request.retryPolicy() != null ? request.retryPolicy().toPolicy()
                : current == null ? AgentRetryPolicy.DEFAULT : current.retryPolicy();
        if (retry.maximumIntervalSeconds() < retry.initialIntervalSeconds()) {
            throw Problems.badRequest("'retryPolicy.maximumIntervalSeconds' must be at least"
                    + " 'retryPolicy.initialIntervalSeconds'");
        }
        List<String> tools = or(request.tools(), current == null ? List.of() : current.tools());
        List<String> approvals = or(request.approvalRequired(),
                current == null ? List.of() : current.approvalRequired());
        checkApprovals(tools, approvals);
        AgentDefinition definition = new AgentDefinition(
                or(request.name(), current == null ? null : current.name()), type,
                or(request.capabilities(), current == null ? List.of() : current.capabilities()), timeout,
                or(request.maxConcurrentTasks(), current == null ? AgentDefinition.DEFAULT_MAX_CONCURRENT_TASKS
                        : current.maxConcurrentTasks()),
                retry, tools, approvals,
                or(request.provider(), current == null ? null : current.provider()),
                or(request.deployment(), current == null ? null : current.deployment()),
                or(request.systemPrompt(), current == null ? null : current.systemPrompt()),
                or(request.maxSteps(), current == null ? null : current.maxSteps()),
                or(request.maxTokensPerTask(), current == null ? null : current.maxTokensPerTask()));
        return type == AgentType.TOOL ? toolAgent(definition) : llmAgent(definition);
    }

    private static AgentDefinition toolAgent(AgentDefinition definition) {
        if (definition.provider() != null || definition.deployment() != null || definition.systemPrompt() != null
                || definition.maxSteps() != null || definition.maxTokensPerTask() != null) {
            throw Problems.badRequest("A 'tool' agent runs no model: 'provider', 'deployment', 'systemPrompt',"
                    + " 'maxSteps' and 'maxTokensPerTask' are for 'llm' agents");
        }
        if (definition.tools().isEmpty()) {
            throw Problems.badRequest("A 'tool' agent needs 'tools'");
        }
        return definition;
    }

    private static AgentDefinition llmAgent(AgentDefinition definition) {
        if (definition.maxSteps() != null) {
            return definition;
        }
        return new AgentDefinition(definition.name(), definition.type(), definition.capabilities(),
                definition.timeoutSeconds(), definition.maxConcurrentTasks(), definition.retryPolicy(),
                definition.tools(), definition.approvalRequired(), definition.provider(), definition.deployment(),
                definition.systemPrompt(), AgentTaskParameters.DEFAULT_MAX_STEPS, definition.maxTokensPerTask());
    }

    /** Every tool that needs approval must be one the agent has: its server, or exactly it. */
    private static void checkApprovals(List<String> tools, List<String> approvals) {
        List<ToolEntry> offered = tools.stream().map(entry -> ToolEntry.parse("tools", entry)).toList();
        for (String approval : approvals) {
            ToolEntry wanted = ToolEntry.parse("approvalRequired", approval);
            if (offered.stream().noneMatch(tool -> tool.covers(wanted))) {
                throw Problems.badRequest("'approvalRequired' names '" + approval + "', which is not in 'tools'");
            }
        }
    }

    private Mono<Void> allowed(CurrentUser writer, ToolEntry entry) {
        return servers.find(entry.server())
                .switchIfEmpty(Mono.error(() -> Problems.unprocessable("Unknown MCP server '" + entry.server()
                        + "' in 'tools'")))
                .flatMap(server -> check(writer, server, entry));
    }

    private static Mono<Void> check(CurrentUser writer, McpServer server, ToolEntry entry) {
        if (!server.policy().allowsRole(writer.role())) {
            return Mono.error(Problems.of(HttpStatus.FORBIDDEN, "Role '" + writer.role().value()
                    + "' may not use MCP server '" + server.name() + "'"));
        }
        if (entry.tool() != null && !server.policy().allowsTool(entry.tool())) {
            return Mono.error(Problems.unprocessable("Tool '" + entry.tool() + "' of MCP server '" + server.name()
                    + "' is not allowed for tasks; allowed: " + String.join(", ", server.policy().allowedTools())));
        }
        return Mono.empty();
    }

    private Mono<Void> model(AgentDefinition definition) {
        if (definition.type() != AgentType.LLM) {
            return Mono.empty();
        }
        String provider = definition.provider() != null ? definition.provider() : llm.provider();
        if (!llm.isConfigured(definition.provider())) {
            return Mono.error(Problems.unprocessable("No LLM provider '" + provider + "' is configured"));
        }
        Set<String> known = deployments.chat(provider, llm);
        if (definition.deployment() != null && !known.contains(definition.deployment())) {
            return Mono.error(Problems.unprocessable("Unknown deployment '" + definition.deployment()
                    + "' for LLM provider '" + provider + "': "
                    + (known.isEmpty() ? "none is configured" : "it offers " + String.join(", ", known))
                    + " (" + LlmDeployments.setting(provider, false) + ")"));
        }
        return Mono.empty();
    }

    private static <T> T or(T value, T otherwise) {
        return value != null ? value : otherwise;
    }
}
