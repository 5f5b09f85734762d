package dev.keiko.api.task;

import dev.keiko.domain.task.Task;
import dev.keiko.domain.task.TaskStatus;
import dev.keiko.domain.task.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Outcomes the API itself records (a workflow that never started), and waiting for a task to end. */
@Component
class TaskOutcomes {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private final TaskStore tasks;
    private final JsonMapper json;

    TaskOutcomes(TaskStore tasks, JsonMapper json) {
        this.tasks = tasks;
        this.json = json;
    }

    /** Fails a task that is still pending or running; does nothing to a task that has ended. */
    Mono<Boolean> fail(Task task, String errorType, String message) {
        return end(task, TaskStatus.FAILED, errorType, message);
    }

    /** Cancels a task that has no workflow to cancel. */
    Mono<Boolean> cancel(Task task) {
        return end(task, TaskStatus.CANCELLED, "CANCELLED", "Task was cancelled before its workflow started");
    }

    private Mono<Boolean> end(Task task, TaskStatus status, String errorType, String message) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("success", false);
        result.put("data", null);
        result.put("errorMessage", message);
        result.put("errorType", errorType);
        result.put("executionTimeSeconds", 0.0);
        result.put("metadata", Map.of("workflowId", task.workflowId()));
        return tasks.recordOutcome(task.id(), status, json.valueToTree(result), Instant.now());
    }

    /**
     * The task once it has ended, or as it is when {@code timeout} passes first. A tick that comes while a read
     * is still running is dropped: a slow database must not overflow the interval and fail the request.
     */
    Mono<Task> awaitEnd(Task task, Duration timeout) {
        // A tick while a read is still out is dropped: the interval cannot wait for demand.
        return Flux.interval(Duration.ZERO, POLL_INTERVAL)
                .onBackpressureDrop()
                .concatMap(tick -> tasks.findById(task.id()))
                .filter(current -> current.status().isTerminal())
                .next()
                .timeout(timeout, Mono.defer(() -> tasks.findById(task.id())));
    }
}
