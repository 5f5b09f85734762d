package dev.keiko.api.task;

import dev.keiko.api.mcp.ToolCatalog;
import dev.keiko.api.problem.Problems;
import dev.keiko.domain.mcp.McpServerCatalog;
import dev.keiko.workflows.task.TaskTypes;
import dev.keiko.workflows.tool.ToolDescriptor;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Checks a tool task before anything is stored: the parameters' shape, that the server exists, and,
 * when a worker can list the server's tools in time, that the tool exists. A server that cannot be
 * reached now does not block the submission: the task retries it durably.
 */
@Component
class ToolTaskValidation {

    private static final Logger log = LoggerFactory.getLogger(ToolTaskValidation.class);

    private final McpServerCatalog servers;
    private final ToolCatalog tools;

    ToolTaskValidation(McpServerCatalog servers, ToolCatalog tools) {
        this.servers = servers;
        this.tools = tools;
    }

    Mono<Void> validate(String type, Map<String, Object> parameters) {
        if (!TaskTypes.TOOL.equals(type)) {
            return Mono.empty();
        }
        if (!(parameters.get("server") instanceof String server) || server.isBlank()) {
            return Mono.error(Problems.badRequest("A tool task needs 'parameters.server', the MCP server's name"));
        }
        if (!(parameters.get("tool") instanceof String tool) || tool.isBlank()) {
            return Mono.error(Problems.badRequest("A tool task needs 'parameters.tool', the tool's name"));
        }
        Object arguments = parameters.get("arguments");
        if (arguments != null && !(arguments instanceof Map<?, ?>)) {
            return Mono.error(Problems.badRequest("'parameters.arguments' must be a JSON object"));
        }
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
