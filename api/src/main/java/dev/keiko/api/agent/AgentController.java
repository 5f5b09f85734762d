package dev.keiko.api.agent;

import dev.keiko.api.auth.CurrentUser;
import dev.keiko.api.problem.Problems;
import dev.keiko.domain.agent.Agent;
import dev.keiko.domain.page.KeysetCursor;
import dev.keiko.domain.agent.AgentEvent;
import dev.keiko.domain.agent.AgentHasTasksException;
import dev.keiko.domain.agent.AgentLoad;
import dev.keiko.domain.agent.AgentStore;
import dev.keiko.domain.user.Role;
import io.r2dbc.spi.R2dbcException;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The agent registry: operators and admins write ({@code agents:*}), viewers and users read
 * ({@code agents:read}) all but each agent's system prompt and creator, admins read each agent's audit trail.
 * Every change is audited and published by {@link AgentStore}.
 */
@RestController
@RequestMapping("/api/v1/agents")
class AgentController {

    static final String READ = "agents:read";
    static final String WRITE = "agents:write";
    static final int MAX_EVENTS = 1000;
    private static final String UNIQUE_VIOLATION = "23505";

    private final AgentStore agents;
    private final AgentChecks checks;
    private final AgentSlotsSignals slots;

    AgentController(AgentStore agents, AgentChecks checks, AgentSlotsSignals slots) {
        this.agents = agents;
        this.checks = checks;
        this.slots = slots;
    }

    @PostMapping
    Mono<ResponseEntity<AgentView>> create(@AuthenticationPrincipal Jwt jwt, @Valid @RequestBody AgentRequest request) {
        CurrentUser user = caller(jwt, WRITE);
        return checks.definition(user, request, null)
                .flatMap(definition -> agents.insert(definition, user.id())
                        .switchIfEmpty(Mono.error(() -> duplicate(definition.name()))))
                .onErrorMap(AgentController::nameTaken, e -> duplicate(request.name()))
                .map(agent -> ResponseEntity.created(URI.create("/api/v1/agents/" + agent.id()))
                        .body(AgentView.of(agent, AgentLoad.IDLE)));
    }

    @GetMapping
    Mono<AgentListView> list(@AuthenticationPrincipal Jwt jwt, @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        CurrentUser user = caller(jwt, READ);
        int size = limit == null ? 20 : limit;
        if (size < 1 || size > 100) {
            return Mono.error(Problems.badRequest("'limit' must be between 1 and 100"));
        }
        KeysetCursor after;
        try {
            after = cursor == null ? null : KeysetCursor.decode(cursor);
        } catch (IllegalArgumentException e) {
            return Mono.error(Problems.badRequest("'cursor' is not a cursor this API gave out"));
        }
        return agents.page(after, size).flatMap(page -> agents.loads(page.agents().stream().map(Agent::id).toList())
                .map(loads -> new AgentListView(page.agents().stream()
                        .map(agent -> shownTo(user, AgentView.of(agent, loads.getOrDefault(agent.id(),
                                AgentLoad.IDLE)))).toList(),
                        page.nextCursor())));
    }

    @GetMapping("/{id}")
    Mono<AgentView> get(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id) {
        CurrentUser user = caller(jwt, READ);
        return existing(id).flatMap(this::view).map(view -> shownTo(user, view));
    }

    /** The whole view for those who may write agents; without the system prompt and its creator for the rest. */
    private static AgentView shownTo(CurrentUser user, AgentView view) {
        return user.can(WRITE) ? view : view.forReaderWithoutWrite();
    }

    /**
     * Changes the fields the body names; {@code retryPolicy}, when given, replaces the whole policy. A change
     * takes the agent out of error.
     */
    @PatchMapping("/{id}")
    Mono<AgentView> change(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id,
            @Valid @RequestBody AgentRequest request) {
        CurrentUser user = caller(jwt, WRITE);
        return existing(id)
                .flatMap(agent -> checks.definition(user, request, agent.definition()))
                .flatMap(definition -> agents.update(id, definition, user.id())
                        .switchIfEmpty(Mono.error(() -> Problems.conflict("Agent " + id + " was deleted, or another"
                                + " agent is named '" + definition.name() + "'"))))
                .onErrorMap(AgentController::nameTaken, e -> duplicate(request.name()))
                .flatMap(updated -> agents.leaveError(id, user.id()).defaultIfEmpty(updated))
                .flatMap(updated -> slots.refreshLimits(id).then(view(updated)));
    }

    @PostMapping("/{id}/activate")
    Mono<AgentView> activate(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id) {
        return setActive(caller(jwt, WRITE), id, true);
    }

    @PostMapping("/{id}/deactivate")
    Mono<AgentView> deactivate(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id) {
        return setActive(caller(jwt, WRITE), id, false);
    }

    /** Deletes an agent none of whose tasks is pending, running or awaiting approval (409 otherwise). */
    @DeleteMapping("/{id}")
    Mono<ResponseEntity<Void>> delete(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id) {
        CurrentUser user = caller(jwt, WRITE);
        return agents.delete(id, user.id())
                .onErrorMap(AgentHasTasksException.class, e -> Problems.conflict("Agent " + id + " has "
                        + e.unfinished() + " tasks pending, running or awaiting approval: cancel them or wait for"
                        + " them to end, or deactivate the agent so that it takes no more"))
                .switchIfEmpty(Mono.error(() -> unknown(id)))
                .flatMap(deleted -> slots.refreshLimits(id))
                .thenReturn(ResponseEntity.noContent().<Void>build());
    }

    /** The agent's audit trail, oldest first, for admins; it outlives the agent. */
    @GetMapping("/{id}/events")
    Mono<List<AgentEvent>> events(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id) {
        CurrentUser user = CurrentUser.from(jwt);
        if (user.role() != Role.ADMIN) {
            throw new AccessDeniedException("Agent events are for admins");
        }
        return agents.events(id, MAX_EVENTS).collectList()
                .filter(events -> !events.isEmpty())
                .switchIfEmpty(Mono.error(() -> unknown(id)));
    }

    /** The agent, active or not as asked; doing it twice is not an error and audits nothing. */
    private Mono<AgentView> setActive(CurrentUser user, UUID id, boolean active) {
        return agents.setActive(id, active, user.id())
                .flatMap(changed -> slots.refreshLimits(id).thenReturn(changed))
                .switchIfEmpty(Mono.defer(() -> existing(id)))
                .flatMap(this::view);
    }

    private Mono<AgentView> view(Agent agent) {
        return agents.loads(List.of(agent.id()))
                .map(loads -> AgentView.of(agent, loads.getOrDefault(agent.id(), AgentLoad.IDLE)));
    }

    private Mono<Agent> existing(UUID id) {
        return agents.find(id).switchIfEmpty(Mono.error(() -> unknown(id)));
    }

    private static CurrentUser caller(Jwt jwt, String permission) {
        CurrentUser user = CurrentUser.from(jwt);
        user.require(permission);
        return user;
    }

    private static RuntimeException unknown(UUID id) {
        return Problems.notFound("No agent with id " + id);
    }

    /** A unique violation: another request took the name between the check and the write. */
    private static boolean nameTaken(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof R2dbcException r2dbc && UNIQUE_VIOLATION.equals(r2dbc.getSqlState())) {
                return true;
            }
        }
        return false;
    }

    private static RuntimeException duplicate(String name) {
        return Problems.conflict("An agent named '" + name + "' already exists");
    }
}
