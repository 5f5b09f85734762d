package dev.keiko.api.task;

import dev.keiko.api.mcp.ToolCatalog;
import dev.keiko.api.problem.Problems;
import dev.keiko.domain.llm.LlmDeployments;
import dev.keiko.domain.llm.LlmProperties;
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
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Checks a task before anything is stored: its parameters, read by the same code the workflow uses;
 * for tool tasks that the server exists and, when a worker can list its tools in time, that the tool
 * does (a server that cannot be reached now does not block the submission: the task retries it
 * durably); for LLM and agent tasks that the provider and deployment are well formed and configured, and
 * for agents that their servers exist.
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

    Mono<Void> validate(String type, Map<String, Object> parameters) {
        try {
            return switch (type) {
                case TaskTypes.TOOL -> validateTool(ToolTaskParameters.from(parameters));
                case TaskTypes.COMPLETION -> {
                    models.checkShape(parameters);
                    CompletionTaskParameters completion = CompletionTaskParameters.from(parameters);
                    yield requireModel(completion.provider(), completion.deployment(), false);
                }
                case TaskTypes.AGENT -> {
                    models.checkShape(parameters);
                    yield validateAgent(AgentTaskParameters.from(parameters));
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

    private Mono<Void> validateAgent(AgentTaskParameters parameters) {
        return requireModel(parameters.provider(), parameters.deployment(), false)
                .thenMany(Flux.fromIterable(parameters.tools()).map(AgentTaskParameters.ToolSelection::server)
                        .distinct())
                .concatMap(server -> servers.find(server)
                        .switchIfEmpty(Mono.error(() -> Problems.unprocessable("Unknown MCP server '" + server
                                + "' in 'parameters.tools'"))))
                .then();
    }

    private Mono<Void> validateTool(ToolTaskParameters parameters) {
        String server = parameters.server();
        String tool = parameters.tool();
        return servers.find(server)
                .switchIfEmpty(Mono.error(() -> Problems.unprocessable("Unknown MCP server '" + server + "'")))
                .then(tools.tools(server)
                        .onErrorResume(e -> {
                            log.info("Could not list the tools of MCP server {} to check '{}': {}", server, tool,
                                    e.toString());
                            return Mono.empty();
                        }))
                .flatMap(offered -> offered.stream().map(ToolDescriptor::name).anyMatch(tool::equals)
                        ? Mono.<Void>empty()
                        : Mono.error(Problems.unprocessable("MCP server '" + server + "' has no tool '" + tool
                                + "'; it offers: " + String.join(", ",
                                        offered.stream().map(ToolDescriptor::name).sorted().toList()))));
    }
}
