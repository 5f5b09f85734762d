package dev.keiko.api.task;

import dev.keiko.api.auth.CurrentUser;
import dev.keiko.api.mcp.ToolCatalog;
import dev.keiko.api.problem.Problems;
import dev.keiko.domain.llm.LlmDeployments;
import dev.keiko.domain.llm.LlmProperties;
import dev.keiko.domain.mcp.McpServer;
import dev.keiko.domain.mcp.McpServerCatalog;
import dev.keiko.workflows.task.AgentTaskParameters;
import dev.keiko.workflows.task.CompletionTaskParameters;
import dev.keiko.workflows.task.ImageTaskParameters;
import dev.keiko.workflows.task.InvalidParametersException;
import dev.keiko.workflows.task.TaskTypes;
import dev.keiko.workflows.task.ToolTaskParameters;
import dev.keiko.workflows.tool.ToolDescriptor;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Checks a task before anything is stored: its parameters, read by the same code the workflow uses;
 * for tool tasks that the server exists, that the submitter's role may use it (403 otherwise) and its
 * allow-list holds the tool (422) and, when a worker can list its tools in time, that the tool
 * does (a server that cannot be reached now does not block the submission: the task retries it
 * durably); for LLM and agent tasks that the provider and deployment are well formed and configured, and
 * for agents that their servers exist, may be used by the role, and allow the tools named one by one.
 */
@Component
class TaskValidation {

    private static final Logger log = LoggerFactory.getLogger(TaskValidation.class);

    private final McpServerCatalog servers;
    private final ToolCatalog tools;
    private final LlmProperties llm;
    private final ModelNames models;

    TaskValidation(McpServerCatalog servers, ToolCatalog tools, LlmProperties llm, LlmDeployments deployments) {
        this.servers = servers;
        this.tools = tools;
        this.llm = llm;
        this.models = new ModelNames(llm, deployments);
    }

    Mono<Void> validate(CurrentUser user, String type, Map<String, Object> parameters) {
        try {
            return switch (type) {
                case TaskTypes.TOOL -> validateTool(user, ToolTaskParameters.from(parameters));
                case TaskTypes.COMPLETION -> {
                    models.checkShape(parameters);
                    CompletionTaskParameters completion = CompletionTaskParameters.from(parameters);
                    yield requireModel(completion.provider(), completion.deployment(), false);
                }
                case TaskTypes.AGENT -> {
                    models.checkShape(parameters);
                    yield validateAgent(user, AgentTaskParameters.from(parameters));
                }
                case TaskTypes.IMAGE -> {
                    models.checkShape(parameters);
                    ImageTaskParameters image = ImageTaskParameters.from(parameters);
                    yield requireModel(image.provider(), image.deployment(), true);
                }
                default -> Mono.empty();
            };
        } catch (InvalidParametersException e) {
            return Mono.error(Problems.badRequest(e.getMessage()));
        } catch (ErrorResponseException e) {
            return Mono.error(e);
        }
    }

    private Mono<Void> requireModel(String provider, String deployment, boolean images) {
        return requireProvider(provider).then(Mono.fromRunnable(() -> models.requireKnown(provider, deployment, images)));
    }

    private Mono<Void> requireProvider(String provider) {
        if (llm.isConfigured(provider)) {
            return Mono.empty();
        }
        String name = provider != null ? provider : llm.provider();
        String keys = LlmProperties.OPENAI.equals(name)
                ? "keiko.llm.openai.base-url (KEIKO_LLM_OPENAI_BASE_URL), keiko.llm.openai.api-key, keiko.llm.openai.model"
                : "keiko.llm.azure.endpoint (KEIKO_LLM_AZURE_ENDPOINT), keiko.llm.azure.api-key,"
                        + " keiko.llm.azure.deployment";
        return Mono.error(Problems.unprocessable("No LLM provider '" + name + "' is configured: set " + keys
                + ", or keiko.llm.provider to choose another provider"));
    }

    /** A whole server is fine (the agent is offered its allowed tools); a named tool must be allowed. */
    private Mono<Void> validateAgent(CurrentUser user, AgentTaskParameters parameters) {
        // Who may use which server is answered first (403), whatever the model configuration says.
        return Flux.fromIterable(parameters.tools())
                .concatMap(selection -> usable(user, selection.server(), " in 'parameters.tools'")
                        .flatMap(server -> selection.tool() == null ? Mono.empty() : allowed(server, selection.tool())))
                .then(requireModel(parameters.provider(), parameters.deployment(), false));
    }

    private Mono<Void> validateTool(CurrentUser user, ToolTaskParameters parameters) {
        String server = parameters.server();
        String tool = parameters.tool();
        return usable(user, server, "")
                .flatMap(definition -> allowed(definition, tool).thenReturn(definition))
                .flatMap(definition -> exists(definition, tool));
    }

    /** The server, when it exists and the user's role may use it in tasks (403 otherwise). */
    private Mono<McpServer> usable(CurrentUser user, String name, String where) {
        return servers.find(name)
                .switchIfEmpty(Mono.error(() -> Problems.unprocessable("Unknown MCP server '" + name + "'" + where)))
                .flatMap(server -> server.policy().allowsRole(user.role()) ? Mono.just(server)
                        : Mono.error(Problems.of(HttpStatus.FORBIDDEN, "Role '" + user.role().value()
                                + "' may not use MCP server '" + name + "' in tasks")));
    }

    private static Mono<Void> allowed(McpServer server, String tool) {
        if (server.policy().allowsTool(tool)) {
            return Mono.empty();
        }
        return Mono.error(Problems.unprocessable("Tool '" + tool + "' of MCP server '" + server.name()
                + "' is not allowed for tasks; allowed: " + String.join(", ", server.policy().allowedTools())));
    }

    private Mono<Void> exists(McpServer definition, String tool) {
        String server = definition.name();
        return tools.toolsForCheck(server)
                .onErrorResume(e -> {
                    log.debug("Could not list the tools of MCP server {} to check '{}': {}", server, tool,
                            e.toString());
                    return Mono.empty();
                })
                .flatMap(offered -> offered.stream().map(ToolDescriptor::name).anyMatch(tool::equals)
                        ? Mono.<Void>empty()
                        : Mono.error(Problems.unprocessable("MCP server '" + server + "' has no tool '" + tool
                                + "'; it offers: " + String.join(", ", offered.stream().map(ToolDescriptor::name)
                                        .filter(definition.policy()::allowsTool).sorted().toList()))));
    }
}
