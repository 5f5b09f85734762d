package dev.keiko.api.task;

import dev.keiko.domain.agent.Agent;
import dev.keiko.domain.agent.AgentRetryPolicy;
import dev.keiko.domain.agent.AgentStore;
import dev.keiko.domain.task.Task;
import dev.keiko.workflows.task.TaskAgent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Starts a task's workflow, for a new task and for the repair alike. A start that Temporal refuses
 * for good fails the task at once with {@link #WORKFLOW_START_REFUSED}; a transient failure is
 * passed on, leaving the task pending for {@link TaskRepair} to try again. A routed task reads its agent
 * again, for its retry policy; one whose agent was deleted before its workflow started fails with
 * {@link #AGENT_DELETED}.
 */
@Component
class TaskStarter {

    /** Temporal refused the task's workflow as invalid; starting it again would be refused again. */
    static final String WORKFLOW_START_REFUSED = "WORKFLOW_START_REFUSED";

    /** The task's agent was deleted before its workflow started. */
    static final String AGENT_DELETED = "AGENT_DELETED";

    enum Outcome { STARTED, ALREADY_STARTED, REFUSED }

    private static final Logger log = LoggerFactory.getLogger(TaskStarter.class);

    private final TaskWorkflows workflows;
    private final TaskOutcomes outcomes;
    private final AgentStore agents;

    TaskStarter(TaskWorkflows workflows, TaskOutcomes outcomes, AgentStore agents) {
        this.workflows = workflows;
        this.outcomes = outcomes;
        this.agents = agents;
    }

    Mono<Outcome> start(Task task) {
        if (task.agent() == null) {
            return start(task, null);
        }
        return agents.find(task.agent().id())
                .flatMap(agent -> start(task, taskAgent(task, agent)))
                .switchIfEmpty(Mono.defer(() -> {
                    log.warn("The agent of task {} was deleted before its workflow started; failing it", task.id());
                    return outcomes.fail(task, AGENT_DELETED, "agent '" + task.agent().name() + "' was deleted"
                            + " before the task's workflow started").thenReturn(Outcome.REFUSED);
                }));
    }

    static TaskAgent taskAgent(Task task, Agent agent) {
        AgentRetryPolicy retry = agent.definition().retryPolicy();
        return new TaskAgent(agent.id().toString(), task.agent().name(), task.priority().value(),
                task.createdAt().toEpochMilli(), new TaskAgent.RetryPolicy(retry.initialIntervalSeconds(),
                        retry.backoffCoefficient(), retry.maximumIntervalSeconds(), retry.maximumAttempts(),
                        retry.nonRetryableErrorTypes()));
    }

    private Mono<Outcome> start(Task task, TaskAgent agent) {
        return workflows.start(task, TaskManagement.summary(task), agent)
                .map(started -> started ? Outcome.STARTED : Outcome.ALREADY_STARTED)
                .onErrorResume(WorkflowStartFailures::isPermanent, e -> {
                    String reason = WorkflowStartFailures.reason(e);
                    log.warn("Temporal refused to start workflow {}; failing task {}: {}", task.workflowId(),
                            task.id(), reason);
                    return outcomes.fail(task, WORKFLOW_START_REFUSED,
                            "Temporal refused to start the task's workflow: " + reason).thenReturn(Outcome.REFUSED);
                });
    }
}
