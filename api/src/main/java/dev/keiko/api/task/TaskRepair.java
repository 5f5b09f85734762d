package dev.keiko.api.task;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.keiko.domain.task.Task;
import dev.keiko.domain.task.TaskStatus;
import dev.keiko.domain.task.TaskStore;
import dev.keiko.workflows.task.TaskErrorTypes;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Makes sure no task stays unfinished because of its workflow. Each pass pages through every suspect,
 * oldest first:
 * <ul>
 * <li>a pending task whose workflow never started (Temporal was unreachable, or an API process died
 * between writing the row and starting it) is started, or fails with
 * {@link TaskStarter#WORKFLOW_START_REFUSED} when Temporal refuses it as invalid;</li>
 * <li>a task whose workflow Temporal timed out (it ran past the task's timeout plus the execution
 * grace without recording an outcome) fails with {@link TaskErrorTypes#TIMEOUT};</li>
 * <li>a running task whose workflow still runs past that point (started without an execution
 * timeout, by an older version) has its workflow terminated and fails with {@link TaskErrorTypes#TIMEOUT};</li>
 * <li>a task whose workflow ended otherwise without recording an outcome (terminated or reset in the
 * Temporal Web UI) fails with {@link #WORKFLOW_ENDED}.</li>
 * </ul>
 * A pending task seen with a running workflow is not checked again for {@code keiko.tasks.pending-recheck-interval}:
 * a backlog of pending tasks would otherwise cost Temporal one describe per task at every pass.
 * Safe to run in every API process at once: starts are idempotent by workflow id and outcomes only
 * move tasks forward.
 */
@Component
class TaskRepair {

    private static final Logger log = LoggerFactory.getLogger(TaskRepair.class);
    static final String WORKFLOW_ENDED = TaskErrorTypes.WORKFLOW_ENDED;
    static final int PAGE_SIZE = 100;
    private static final long SEEN_RUNNING_MAX = 1_000_000;
    private static final Duration RUNNING_GRACE = Duration.ofSeconds(60);
    private static final Duration PASS_TIMEOUT = Duration.ofMinutes(2);

    private final TaskStore tasks;
    private final TaskWorkflows workflows;
    private final TaskStarter starter;
    private final TaskOutcomes outcomes;
    private final TaskProperties properties;
    /** Pending tasks whose workflow was seen running, until they are checked again. */
    private final Cache<UUID, Boolean> seenRunning;

    TaskRepair(TaskStore tasks, TaskWorkflows workflows, TaskStarter starter, TaskOutcomes outcomes,
            TaskProperties properties) {
        this.tasks = tasks;
        this.workflows = workflows;
        this.starter = starter;
        this.outcomes = outcomes;
        this.properties = properties;
        this.seenRunning = Caffeine.newBuilder().expireAfterWrite(properties.pendingRecheckInterval())
                .maximumSize(SEEN_RUNNING_MAX).build();
    }

    @Scheduled(fixedDelayString = "${keiko.tasks.start-repair-interval:30s}")
    void repair() {
        repairOnce().onErrorResume(e -> {
            log.warn("Task repair pass failed: {}", e.toString());
            return Mono.just(0L);
        }).block(PASS_TIMEOUT);
    }

    /** One pass over every suspect; answers how many tasks it started or ended. */
    Mono<Long> repairOnce() {
        return repairOnce(PAGE_SIZE);
    }

    Mono<Long> repairOnce(int pageSize) {
        Instant pendingBefore = Instant.now().minus(properties.startRepairAfter());
        return tasks.findUnfinishedSuspects(pendingBefore, RUNNING_GRACE, pageSize).collectList()
                .expand(page -> page.size() < pageSize ? Mono.empty()
                        : tasks.findUnfinishedSuspects(pendingBefore, RUNNING_GRACE, page.getLast().position(),
                                pageSize).collectList())
                .concatMap(page -> Flux.fromIterable(page).concatMap(this::repair))
                .filter(Boolean::booleanValue)
                .count();
    }

    private Mono<Boolean> repair(Task task) {
        if (task.status() == TaskStatus.PENDING && seenRunning.getIfPresent(task.id()) != null) {
            return Mono.just(false);
        }
        return workflows.status(task)
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(status -> repair(task, status))
                .onErrorResume(e -> {
                    log.warn("Could not repair task {}: {}", task.id(), e.toString());
                    return Mono.just(false);
                });
    }

    private Mono<Boolean> repair(Task task, Optional<WorkflowExecutionStatus> status) {
        if (status.isEmpty() && task.status() == TaskStatus.PENDING && neverStartedInTime(task)) {
            log.warn("Task {} could not be started within its timeout plus the execution grace; failing it", task.id());
            return outcomes.fail(task, TaskErrorTypes.TIMEOUT, "The task could not be started within its timeout"
                    + " plus " + workflows.executionGrace().toSeconds() + " s (Temporal did not take its workflow)");
        }
        if (status.isEmpty() && task.status() == TaskStatus.PENDING) {
            log.info("Task {} was pending without a workflow; starting it", task.id());
            return starter.start(task).map(outcome -> outcome != TaskStarter.Outcome.ALREADY_STARTED);
        }
        if (status.isPresent() && status.get() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
            if (task.status() == TaskStatus.PENDING) {
                seenRunning.put(task.id(), Boolean.TRUE);
            }
            return pastExecutionTimeout(task) ? terminate(task) : Mono.just(false);
        }
        if (status.isPresent() && status.get() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TIMED_OUT) {
            return outcomes.fail(task, TaskErrorTypes.TIMEOUT, "The task's workflow ran past its timeout plus "
                    + workflows.executionGrace().toSeconds() + " s without recording an outcome; Temporal ended it");
        }
        String ended = status.map(s -> s.name().replace("WORKFLOW_EXECUTION_STATUS_", "")
                .toLowerCase(Locale.ROOT)).orElse("missing");
        return outcomes.fail(task, WORKFLOW_ENDED,
                "The task's workflow ended (" + ended + ") before it recorded an outcome");
    }

    /**
     * Whether a pending task is older than its timeout plus the grace: Temporal stayed unreachable, or kept
     * refusing it for a reason that does not pass by itself, for longer than the task may take.
     */
    private boolean neverStartedInTime(Task task) {
        return task.createdAt().plus(workflows.executionTimeout(task)).isBefore(Instant.now());
    }

    /** Whether a running task's workflow should have been ended by its execution timeout by now. */
    private boolean pastExecutionTimeout(Task task) {
        return task.status() == TaskStatus.RUNNING && task.startedAt() != null
                && task.startedAt().plus(workflows.executionTimeout(task)).plus(RUNNING_GRACE).isBefore(Instant.now());
    }

    private Mono<Boolean> terminate(Task task) {
        log.warn("Task {} runs past its timeout plus the execution grace; terminating workflow {}", task.id(),
                task.workflowId());
        String reason = "The task ran past its timeout plus " + workflows.executionGrace().toSeconds()
                + " s without recording an outcome";
        return workflows.terminate(task, reason)
                .then(outcomes.fail(task, TaskErrorTypes.TIMEOUT, reason + "; its workflow was terminated"));
    }
}
