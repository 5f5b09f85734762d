package dev.keiko.activities.task;

import dev.keiko.domain.agent.AgentStore;
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
import dev.keiko.workflows.task.TaskResult;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

@Component("taskRecordActivities")
public class TaskRecordActivitiesImpl implements TaskRecordActivities {

    // Below the 10 s start-to-close of the records' ordinary activities, so that a stuck pool fails the attempt rather
    // than holding the thread. A local attempt (2 s) is timed out by the SDK first and retried beside this thread,
    // whose writes, conditional and forward-only, are harmless if they land late.
    private static final Duration DATABASE_TIMEOUT = Duration.ofSeconds(8);

    private final TaskStore tasks;
    private final TaskEvents events;
    private final JsonMapper json;
    private final AgentStore agents;

    public TaskRecordActivitiesImpl(TaskStore tasks, TaskEvents events, JsonMapper json, AgentStore agents) {
        this.tasks = tasks;
        this.events = events;
        this.json = json;
        this.agents = agents;
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
        Task task = current(id);
        if (task.agent() != null && task.status().value().equals(input.status())) {
            recordAgentHealth(task.agent().id(), task.status(), input.result(), task.finishedAt());
        }
        return new RecordTaskOutcomeOutput(applied);
    }

    /**
     * A routed task's outcome says whether its agent works: a failure of the agent's own puts it in error, a
     * completion takes it out, unless an outcome that happened later decided its health already. Done again when a
     * retry finds the outcome recorded already; each change is conditional, so it is audited once, and a change that
     * lands late (an attempt that timed out, its statement still queued behind a lock) undoes no later outcome.
     */
    private void recordAgentHealth(UUID agentId, TaskStatus status, TaskResult result, Instant finishedAt) {
        if (status == TaskStatus.COMPLETED) {
            agents.leaveErrorOnCompletion(agentId, finishedAt).block(DATABASE_TIMEOUT);
        } else if (status == TaskStatus.FAILED && result != null && AgentFaults.isAgentFault(result.errorType())) {
            agents.enterError(agentId, result.errorType(), finishedAt).block(DATABASE_TIMEOUT);
        }
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
