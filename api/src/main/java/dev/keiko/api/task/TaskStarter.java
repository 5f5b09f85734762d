package dev.keiko.api.task;

import dev.keiko.domain.task.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Starts a task's workflow, for a new task and for the repair alike. A start that Temporal refuses
 * for good fails the task at once with {@link #WORKFLOW_START_REFUSED}; a transient failure is
 * passed on, leaving the task pending for {@link TaskRepair} to try again.
 */
@Component
class TaskStarter {

    /** Temporal refused the task's workflow as invalid; starting it again would be refused again. */
    static final String WORKFLOW_START_REFUSED = "WORKFLOW_START_REFUSED";

    enum Outcome { STARTED, ALREADY_STARTED, REFUSED }

    private static final Logger log = LoggerFactory.getLogger(TaskStarter.class);

    private final TaskWorkflows workflows;
    private final TaskOutcomes outcomes;

    TaskStarter(TaskWorkflows workflows, TaskOutcomes outcomes) {
        this.workflows = workflows;
        this.outcomes = outcomes;
    }

    Mono<Outcome> start(Task task) {
        return workflows.start(task, TaskManagement.summary(task))
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
