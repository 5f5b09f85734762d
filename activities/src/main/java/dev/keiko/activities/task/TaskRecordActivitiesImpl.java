package dev.keiko.activities.task;

import dev.keiko.domain.task.TaskStatus;
import dev.keiko.domain.task.TaskStore;
import dev.keiko.workflows.task.MarkTaskRunningInput;
import dev.keiko.workflows.task.MarkTaskRunningOutput;
import dev.keiko.workflows.task.RecordTaskOutcomeInput;
import dev.keiko.workflows.task.RecordTaskOutcomeOutput;
import dev.keiko.workflows.task.TaskRecordActivities;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.util.UUID;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

@Component("taskRecordActivities")
public class TaskRecordActivitiesImpl implements TaskRecordActivities {

    private final TaskStore tasks;
    private final JsonMapper json;

    public TaskRecordActivitiesImpl(TaskStore tasks, JsonMapper json) {
        this.tasks = tasks;
        this.json = json;
    }

    @Override
    public MarkTaskRunningOutput markRunning(MarkTaskRunningInput input) {
        UUID id = UUID.fromString(input.taskId());
        boolean applied = tasks.markRunning(id, Instant.ofEpochMilli(input.startedAtMillis()))
                .flatMap(done -> done ? Mono.just(true) : requireExists(id).thenReturn(false))
                .block();
        return new MarkTaskRunningOutput(applied);
    }

    @Override
    public RecordTaskOutcomeOutput recordOutcome(RecordTaskOutcomeInput input) {
        UUID id = UUID.fromString(input.taskId());
        boolean applied = tasks.recordOutcome(id, TaskStatus.of(input.status()), json.valueToTree(input.result()),
                        Instant.ofEpochMilli(input.finishedAtMillis()))
                .flatMap(done -> done ? Mono.just(true) : requireExists(id).thenReturn(false))
                .block();
        return new RecordTaskOutcomeOutput(applied);
    }

    private Mono<Void> requireExists(UUID id) {
        return tasks.findById(id)
                .switchIfEmpty(Mono.error(() -> ApplicationFailure.newNonRetryableFailure(
                        "Task " + id + " has no row in the read model", MISSING_TASK)))
                .then();
    }
}
