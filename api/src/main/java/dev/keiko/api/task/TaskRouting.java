package dev.keiko.api.task;

import dev.keiko.api.problem.Problems;
import dev.keiko.domain.agent.Agent;
import dev.keiko.domain.agent.AgentStore;
import dev.keiko.domain.agent.AgentType;
import dev.keiko.workflows.task.TaskTypes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Decides where a submitted task goes. Unrouted, it needs a known {@code type} (400). Routed by
 * {@code agentId} or {@code agent} (a name), the agent must exist and be active (422); by
 * {@code requiredCapabilities}, the active agent of a fitting type that has them all and the most free slots
 * wins, agents in error after healthy ones, ties by name (422 when none has them). An {@code llm} agent runs
 * {@code agent} tasks, a {@code tool} agent {@code tool} tasks: another given type answers 422.
 */
@Component
class TaskRouting {

    private final AgentStore agents;

    TaskRouting(AgentStore agents) {
        this.agents = agents;
    }

    Mono<TaskRoute> route(TaskRequest request) {
        if (request.routingFields() > 1) {
            return Mono.error(Problems.badRequest("Name at most one of 'agentId', 'agent' and 'requiredCapabilities'"));
        }
        if (request.type() != null && !TaskTypes.ALL.contains(request.type())) {
            return Mono.error(Problems.badRequest("Unknown task type '" + request.type()
                    + "'; known types: " + String.join(", ", TaskTypes.ALL.stream().sorted().toList())));
        }
        if (request.routingFields() == 0) {
            return request.type() == null
                    ? Mono.error(Problems.badRequest("A task needs a 'type', or an agent to route it to ('agentId',"
                            + " 'agent' or 'requiredCapabilities')"))
                    : Mono.just(new TaskRoute(request.type(), null));
        }
        if (request.agentId() != null) {
            return agents.find(request.agentId())
                    .switchIfEmpty(Mono.error(() -> Problems.unprocessable("No agent with id " + request.agentId())))
                    .flatMap(agent -> named(agent, request.type()));
        }
        if (request.agent() != null) {
            return agents.findByName(request.agent())
                    .switchIfEmpty(Mono.error(() -> Problems.unprocessable("No agent named '" + request.agent() + "'")))
                    .flatMap(agent -> named(agent, request.type()));
        }
        return byCapabilities(List.copyOf(new LinkedHashSet<>(request.requiredCapabilities())), request.type());
    }

    private static Mono<TaskRoute> named(Agent agent, String type) {
        String name = agent.definition().name();
        if (!agent.active()) {
            return Mono.error(Problems.unprocessable("agent '" + name + "' is inactive"));
        }
        String runs = taskType(agent.definition().type());
        if (type != null && !type.equals(runs)) {
            return Mono.error(Problems.unprocessable("agent '" + name + "' is a " + agent.definition().type().value()
                    + " agent: it runs '" + runs + "' tasks, not '" + type + "'"));
        }
        return Mono.just(new TaskRoute(runs, agent));
    }

    private Mono<TaskRoute> byCapabilities(List<String> wanted, String type) {
        List<AgentType> types = fitting(type);
        if (types.isEmpty()) {
            return Mono.error(Problems.unprocessable("No agent runs '" + type + "' tasks: agents run 'agent' and"
                    + " 'tool' tasks"));
        }
        return agents.candidates(types, wanted).next()
                .map(best -> new TaskRoute(taskType(best.agent().definition().type()), best.agent()))
                .switchIfEmpty(Mono.defer(() -> agents.offeredCapabilities(types, wanted).collectList()
                        .flatMap(offered -> Mono.error(noneFits(wanted, offered)))));
    }

    private static RuntimeException noneFits(List<String> wanted, List<String> offered) {
        List<String> missing = new ArrayList<>(wanted);
        missing.removeAll(Set.copyOf(offered));
        return Problems.unprocessable(missing.isEmpty()
                ? "No single active agent has all of: " + String.join(", ", wanted)
                : "No active agent offers: " + String.join(", ", missing));
    }

    private static List<AgentType> fitting(String type) {
        if (type == null) {
            return List.of(AgentType.LLM, AgentType.TOOL);
        }
        return switch (type) {
            case TaskTypes.AGENT -> List.of(AgentType.LLM);
            case TaskTypes.TOOL -> List.of(AgentType.TOOL);
            default -> List.of();
        };
    }

    static String taskType(AgentType type) {
        return type == AgentType.LLM ? TaskTypes.AGENT : TaskTypes.TOOL;
    }
}
