package dev.keiko.api.task;

import dev.keiko.domain.task.Task;
import dev.keiko.domain.task.TaskStore;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Makes sure no task stays pending because its workflow never started (an API process that died
 * between writing the row and starting the workflow) or was ended from outside Keiko (terminated in
 * the Temporal Web UI). Safe to run in every API process at once: starting is idempotent by workflow id
 * and outcomes only move tasks forward.
 */
@Component
class PendingTaskRepair {

    private static final Logger log = LoggerFactory.getLogger(PendingTaskRepair.class);
    static final String WORKFLOW_ENDED = "WORKFLOW_ENDED";

    private final TaskStore tasks;
    private final TaskManagement management;
    private final TaskWorkflows workflows;
    private final TaskOutcomes outcomes;
    private final TaskProperties properties;

    PendingTaskRepair(TaskStore tasks, TaskManagement management, TaskWorkflows workflows, TaskOutcomes outcomes,
            TaskProperties properties) {
        this.tasks = tasks;
        this.management = management;
        this.workflows = workflows;
        this.outcomes = outcomes;
        this.properties = properties;
    }

    @Scheduled(fixedDelayString = "${keiko.tasks.start-repair-interval:30s}")
    void repair() {
        repairOnce().block();
    }

    Mono<Long> repairOnce() {
        return tasks.findPendingCreatedBefore(Instant.now().minus(properties.startRepairAfter()), 100)
                .concatMap(this::repair)
                .count();
    }

    private Mono<Boolean> repair(Task task) {
        return workflows.status(task)
                .flatMap(status -> status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
                        ? Mono.just(false)
                        : outcomes.fail(task, WORKFLOW_ENDED, "The task's workflow ended ("
                                + status.name().replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase(java.util.Locale.ROOT)
                                + ") before it recorded an outcome"))
                .switchIfEmpty(Mono.defer(() -> {
                    log.info("Task {} was pending without a workflow; starting it", task.id());
                    return management.start(task).thenReturn(true);
                }))
                .onErrorResume(e -> {
                    log.warn("Could not repair pending task {}: {}", task.id(), e.toString());
                    return Mono.just(false);
                });
    }
}
