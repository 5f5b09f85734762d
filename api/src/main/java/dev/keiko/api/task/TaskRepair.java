package dev.keiko.api.task;

import dev.keiko.domain.task.Task;
import dev.keiko.domain.task.TaskStatus;
import dev.keiko.domain.task.TaskStore;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Makes sure no task stays unfinished because of its workflow: a pending task whose workflow never
 * started (Temporal was unreachable, or an API process died between writing the row and starting
 * it) is started; a pending or overdue running task whose workflow ended without recording an
 * outcome (terminated or reset in the Temporal Web UI) fails with {@link #WORKFLOW_ENDED}. Safe to
 * run in every API process at once: starts are idempotent by workflow id and outcomes only move
 * tasks forward.
 */
@Component
class TaskRepair {

    private static final Logger log = LoggerFactory.getLogger(TaskRepair.class);
    static final String WORKFLOW_ENDED = "WORKFLOW_ENDED";
    private static final Duration RUNNING_GRACE = Duration.ofSeconds(60);
    private static final Duration PASS_TIMEOUT = Duration.ofMinutes(2);

    private final TaskStore tasks;
    private final TaskWorkflows workflows;
    private final TaskOutcomes outcomes;
    private final TaskProperties properties;

    TaskRepair(TaskStore tasks, TaskWorkflows workflows, TaskOutcomes outcomes, TaskProperties properties) {
        this.tasks = tasks;
        this.workflows = workflows;
        this.outcomes = outcomes;
        this.properties = properties;
    }

    @Scheduled(fixedDelayString = "${keiko.tasks.start-repair-interval:30s}")
    void repair() {
        repairOnce().onErrorResume(e -> {
            log.warn("Task repair pass failed: {}", e.toString());
            return Mono.just(0L);
        }).block(PASS_TIMEOUT);
    }

    Mono<Long> repairOnce() {
        return tasks.findUnfinishedSuspects(Instant.now().minus(properties.startRepairAfter()), RUNNING_GRACE, 100)
                .concatMap(this::repair)
                .filter(Boolean::booleanValue)
                .count();
    }

    private Mono<Boolean> repair(Task task) {
        return workflows.status(task)
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(status -> {
                    if (status.isEmpty() && task.status() == TaskStatus.PENDING) {
                        log.info("Task {} was pending without a workflow; starting it", task.id());
                        return workflows.start(task, TaskManagement.summary(task));
                    }
                    if (status.isPresent() && status.get() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
                        return Mono.just(false);
                    }
                    String ended = status.map(s -> s.name().replace("WORKFLOW_EXECUTION_STATUS_", "")
                            .toLowerCase(Locale.ROOT)).orElse("missing");
                    return outcomes.fail(task, WORKFLOW_ENDED,
                            "The task's workflow ended (" + ended + ") before it recorded an outcome");
                })
                .onErrorResume(e -> {
                    log.warn("Could not repair task {}: {}", task.id(), e.toString());
                    return Mono.just(false);
                });
    }
}
