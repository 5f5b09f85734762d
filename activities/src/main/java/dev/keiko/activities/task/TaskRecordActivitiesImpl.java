package dev.keiko.activities.task;

import dev.keiko.domain.task.Task;
import dev.keiko.domain.task.TaskEvents;
import dev.keiko.domain.task.TaskStatus;
import dev.keiko.domain.task.TaskStore;
import dev.keiko.workflows.task.AnnounceProgressInput;
import dev.keiko.workflows.task.AnnounceProgressOutput;
import dev.keiko.workflows.task.MarkTaskRunningInput;
import dev.keiko.workflows.task.MarkTaskRunningOutput;
import dev.keiko.workflows.task.RecordTaskOutcomeInput;
import dev.keiko.workflows.task.RecordTaskOutcomeOutput;
import dev.keiko.workflows.task.TaskRecordActivities;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

@Component("taskRecordActivities")
public class TaskRecordActivitiesImpl implements TaskRecordActivities {

    // Below the workflow's 10 s start-to-close timeout, so a stuck pool fails the attempt rather than the thread.
    private static final Duration DATABASE_TIMEOUT = Duration.ofSeconds(8);

    private final TaskStore tasks;
    private final TaskEvents events;
    private final JsonMapper json;

    public TaskRecordActivitiesImpl(TaskStore tasks, TaskEvents events, JsonMapper json) {
        this.tasks = tasks;
        this.events = events;
        this.json = json;
    }

    @Override
    public MarkTaskRunningOutput markRunning(MarkTaskRunningInput input) {
        UUID id = UUID.fromString(input.taskId());
        boolean applied = Boolean.TRUE.equals(tasks.markRunning(id, Instant.ofEpochMilli(input.startedAtMillis()))
                .block(DATABASE_TIMEOUT));
        return new MarkTaskRunningOutput(applied, applied ? TaskStatus.RUNNING.value() : current(id).status().value());
    }

    @Override
    public RecordTaskOutcomeOutput recordOutcome(RecordTaskOutcomeInput input) {
        UUID id = UUID.fromString(input.taskId());
        boolean applied = Boolean.TRUE.equals(tasks.recordOutcome(id, TaskStatus.of(input.status()),
                json.valueToTree(input.result()), Instant.ofEpochMilli(input.finishedAtMillis())).block(DATABASE_TIMEOUT));
        if (!applied) {
            current(id);
        }
        return new RecordTaskOutcomeOutput(applied);
    }

    @Override
    public AnnounceProgressOutput announceProgress(AnnounceProgressInput input) {
        return new AnnounceProgressOutput(events.announce(input.taskId(), input.message()));
    }

    private Task current(UUID id) {
        return tasks.findById(id).blockOptional(DATABASE_TIMEOUT).orElseThrow(() -> ApplicationFailure
                .newNonRetryableFailure("Task " + id + " has no row in the read model", MISSING_TASK));
    }
}
