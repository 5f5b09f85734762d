package dev.keiko.api.agent;

import dev.keiko.workflows.agent.AgentSlotsIds;
import dev.keiko.workflows.agent.AgentSlotsWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Tells an agent's slot workflow ({@link AgentSlotsWorkflow}) that the agent changed, so that its limit and
 * whether it is active apply to waiting tasks at once. An agent without a slot workflow (no task has asked for
 * a slot yet) needs none; should Temporal not answer, the change stands and the workflow reads it when next
 * started or signalled, so neither fails the request.
 */
@Component
class AgentSlotsSignals {

    static final String REFRESH_LIMITS = "refreshLimits";

    private static final Logger log = LoggerFactory.getLogger(AgentSlotsSignals.class);

    private final WorkflowClient client;

    AgentSlotsSignals(WorkflowClient client) {
        this.client = client;
    }

    Mono<Void> refreshLimits(UUID agentId) {
        String workflowId = AgentSlotsIds.forAgent(agentId.toString());
        return Mono.fromRunnable(() -> client.newUntypedWorkflowStub(workflowId).signal(REFRESH_LIMITS))
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorResume(WorkflowNotFoundException.class, e -> Mono.empty())
                .onErrorResume(e -> {
                    log.warn("Could not signal {} of agent {}: {}", REFRESH_LIMITS, agentId, e.toString());
                    return Mono.empty();
                })
                .then();
    }
}
