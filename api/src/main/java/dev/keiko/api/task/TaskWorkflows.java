package dev.keiko.api.task;

import dev.keiko.domain.task.Task;
import dev.keiko.workflows.TaskQueues;
import dev.keiko.workflows.task.TaskProgress;
import dev.keiko.workflows.task.TaskWorkflow;
import dev.keiko.workflows.task.TaskWorkflowInput;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.Priority;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Starts, queries and cancels task workflows. Every Temporal call blocks, so each runs off the event loop. */
@Component
public class TaskWorkflows {

    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(2);

    private final WorkflowClient client;
    private final JsonMapper json;

    public TaskWorkflows(WorkflowClient client, JsonMapper json) {
        this.client = client;
        this.json = json;
    }

    /** Starts the task's workflow; answers false when it had already been started. */
    public Mono<Boolean> start(Task task, String summary) {
        return Mono.fromCallable(() -> {
            WorkflowOptions options = WorkflowOptions.newBuilder()
                    .setWorkflowId(task.workflowId())
                    .setTaskQueue(TaskQueues.TASKS)
                    .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                    .setPriority(Priority.newBuilder().setPriorityKey(task.priority().temporalPriorityKey()).build())
                    .setStaticSummary(summary)
                    .build();
            TaskWorkflow workflow = client.newWorkflowStub(TaskWorkflow.class, options);
            Map<String, Object> parameters = json.convertValue(task.parameters(), new TypeReference<>() { });
            try {
                WorkflowClient.start(workflow::run, new TaskWorkflowInput(
                        task.id().toString(), task.type(), parameters, task.timeoutSeconds()));
                return true;
            } catch (WorkflowExecutionAlreadyStarted e) {
                return false;
            }
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /** The workflow's live progress, or empty when no worker answers in time. */
    public Mono<TaskProgress> progress(Task task) {
        return Mono.fromCallable(() -> client.newWorkflowStub(TaskWorkflow.class, task.workflowId()).progress())
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(QUERY_TIMEOUT)
                .onErrorResume(e -> Mono.empty());
    }

    public Mono<Void> cancel(Task task) {
        return Mono.fromRunnable(() -> client.newUntypedWorkflowStub(task.workflowId()).cancel())
                .subscribeOn(Schedulers.boundedElastic())
                .then();
    }

    /** The workflow's status in Temporal, or empty when it does not exist. */
    public Mono<WorkflowExecutionStatus> status(Task task) {
        return Mono.fromCallable(() -> Optional.of(client.newUntypedWorkflowStub(task.workflowId())
                        .describe().getStatus()))
                .onErrorResume(WorkflowNotFoundException.class, e -> Mono.just(Optional.empty()))
                .flatMap(Mono::justOrEmpty)
                .subscribeOn(Schedulers.boundedElastic());
    }
}
