package dev.keiko.api.mcp;

import dev.keiko.api.auth.CurrentUser;
import dev.keiko.api.problem.Problems;
import dev.keiko.domain.mcp.McpServerCatalog;
import dev.keiko.domain.user.Role;
import dev.keiko.workflows.tool.McpNames;
import dev.keiko.workflows.tool.ToolFailureTypes;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** MCP server management, for admins and operators. */
@RestController
@RequestMapping("/api/v1/mcp/servers")
class McpServerController {

    private final McpServerCatalog servers;
    private final ToolCatalog tools;
    private final McpServerDefinitions definitions;

    McpServerController(McpServerCatalog servers, ToolCatalog tools, McpServerDefinitions definitions) {
        this.servers = servers;
        this.tools = tools;
        this.definitions = definitions;
    }

    @PostMapping
    Mono<ResponseEntity<McpServerView>> register(@AuthenticationPrincipal Jwt jwt,
            @Valid @RequestBody McpServerRequest request) {
        CurrentUser user = manager(jwt);
        if (request.command() != null && user.role() != Role.ADMIN) {
            // A stdio server runs a command on every worker, with the worker's rights: admins only.
            throw new AccessDeniedException("Only admins may register MCP servers that run a command (stdio)");
        }
        return Mono.defer(() -> definitions.toServer(request))
                .flatMap(server -> servers.register(server, user.id(), user.role())
                        .switchIfEmpty(Mono.error(() -> Problems.conflict(
                                "An MCP server named '" + request.name() + "' already exists"))))
                .map(server -> ResponseEntity.created(URI.create("/api/v1/mcp/servers/" + server.name()))
                        .body(McpServerView.of(server)));
    }

    @GetMapping
    Flux<McpServerView> list(@AuthenticationPrincipal Jwt jwt) {
        manager(jwt);
        return servers.findAll().map(McpServerView::of);
    }

    @GetMapping("/{name}")
    Mono<McpServerView> get(@AuthenticationPrincipal Jwt jwt, @PathVariable String name) {
        manager(jwt);
        return servers.find(name).map(McpServerView::of)
                .switchIfEmpty(Mono.error(() -> Problems.notFound("No MCP server named '" + name + "'")));
    }

    /** Replaces a registered server's definition and policy; only admins replace what an admin registered. */
    @PutMapping("/{name}")
    Mono<McpServerView> replace(@AuthenticationPrincipal Jwt jwt, @PathVariable String name,
            @Valid @RequestBody McpServerRequest request) {
        CurrentUser user = manager(jwt);
        if (!name.equals(request.name())) {
            return Mono.error(Problems.badRequest("'name' must be the server's name, '" + name + "'"));
        }
        if (request.command() != null && user.role() != Role.ADMIN) {
            throw new AccessDeniedException("Only admins may register MCP servers that run a command (stdio)");
        }
        return changeable(user, name, "replace")
                .then(Mono.defer(() -> definitions.toServer(request)))
                .flatMap(server -> servers.replace(server, user.id(), user.role())
                        .switchIfEmpty(Mono.error(() -> Problems.conflict("MCP server '" + name
                                + "' changed hands meanwhile; read it again"))))
                .doOnNext(server -> tools.evict(name))
                .map(McpServerView::of);
    }

    @DeleteMapping("/{name}")
    Mono<ResponseEntity<Void>> delete(@AuthenticationPrincipal Jwt jwt, @PathVariable String name) {
        CurrentUser user = manager(jwt);
        return changeable(user, name, "delete")
                .then(servers.delete(name, user.role()))
                .flatMap(deleted -> {
                    if (!deleted) {
                        return Mono.error(Problems.conflict("MCP server '" + name
                                + "' changed hands or was deleted meanwhile; read it again"));
                    }
                    tools.evict(name);
                    return Mono.just(ResponseEntity.noContent().<Void>build());
                });
    }

    /** Completes when the user may change the server: it is registered, and not by an admin unless the user is one. */
    private Mono<Void> changeable(CurrentUser user, String name, String change) {
        if (servers.isConfigured(name)) {
            return Mono.error(Problems.conflict("MCP server '" + name + "' comes from configuration"
                    + " (keiko.mcp.servers) and cannot be " + change + "d through the API"));
        }
        return servers.registrantRole(name)
                .switchIfEmpty(Mono.error(() -> Problems.notFound("No MCP server named '" + name + "'")))
                .flatMap(registrant -> registrant == Role.ADMIN && user.role() != Role.ADMIN
                        ? Mono.error(Problems.of(HttpStatus.FORBIDDEN, "MCP server '" + name
                                + "' was registered by an admin: only admins may " + change + " it"))
                        : Mono.empty());
    }

    /** Every tool the server offers, each marked with whether its allow-list lets tasks call it. */
    @GetMapping("/{name}/tools")
    Mono<List<ToolView>> tools(@AuthenticationPrincipal Jwt jwt, @PathVariable String name) {
        manager(jwt);
        return servers.find(name)
                .switchIfEmpty(Mono.error(() -> Problems.notFound("No MCP server named '" + name + "'")))
                .flatMap(server -> tools.tools(name).map(offered -> offered.stream()
                        .map(tool -> ToolView.of(tool,
                                McpNames.isToolName(tool.name()) && server.policy().allowsTool(tool.name())))
                        .toList()))
                .onErrorMap(TimeoutException.class, e -> Problems.of(HttpStatus.GATEWAY_TIMEOUT,
                        "No worker listed the tools of '" + name + "' in time"))
                .onErrorMap(WorkflowFailedException.class, e -> Problems.of(HttpStatus.BAD_GATEWAY,
                        "Could not list the tools of '" + name + "': " + reason(e)));
    }

    private static CurrentUser manager(Jwt jwt) {
        CurrentUser user = CurrentUser.from(jwt);
        if (user.role() != Role.ADMIN && user.role() != Role.OPERATOR) {
            throw new AccessDeniedException("MCP servers are managed by admins and operators");
        }
        return user;
    }

    /**
     * Why listing failed, without what the remote answered: status lines and bodies would make
     * registration a way to read a network. Keiko's own refusals keep their words.
     */
    private static String reason(WorkflowFailedException e) {
        Throwable cause = e.getCause() instanceof ActivityFailure activity ? activity.getCause() : e.getCause();
        if (!(cause instanceof ApplicationFailure failure) || failure.getType() == null) {
            return "the server is unreachable or misbehaving";
        }
        return switch (failure.getType()) {
            case ToolFailureTypes.ADDRESS_NOT_ALLOWED, ToolFailureTypes.INVALID_SERVER, ToolFailureTypes.UNKNOWN_SERVER ->
                    failure.getOriginalMessage();
            case ToolFailureTypes.AUTHENTICATION_FAILED -> "the server refused Keiko's credentials";
            default -> "the server is unreachable or misbehaving";
        };
    }
}
