package dev.keiko.api.task;

import dev.keiko.domain.task.Task;
import dev.keiko.workflows.TaskQueues;
import dev.keiko.workflows.TemporalLimits;
import dev.keiko.workflows.agent.AgentSlotsIds;
import dev.keiko.workflows.agent.AgentSlotsWorkflow;
import dev.keiko.workflows.agent.QueuePlace;
import dev.keiko.workflows.task.TaskAgent;
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
import org.springframework.beans.factory.annotation.Autowired;
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
    private final Duration executionGrace;
    private final TaskWorkflowLabels labels;

    @Autowired
    TaskWorkflows(WorkflowClient client, JsonMapper json, TaskProperties properties, TaskWorkflowLabels labels) {
        this(client, json, properties.executionGrace(), labels);
    }

    TaskWorkflows(WorkflowClient client, JsonMapper json, Duration executionGrace, TaskWorkflowLabels labels) {
        this.client = client;
        this.json = json;
        this.executionGrace = executionGrace;
        this.labels = labels;
    }

    /**
     * Starts the task's workflow; answers false when it had already been started. Its execution
     * timeout is the task's timeout plus the execution grace: should the workflow not end itself,
     * Temporal ends it then. On a Temporal server that deadline spans every run of an agent that
     * continues as new; Temporal's test server (the dev system's) renews it per run, and
     * {@link TaskRepair} ends such a workflow instead. The workflow carries the task's labels for the Web UI
     * ({@link TaskWorkflowLabels}).
     */
    public Mono<Boolean> start(Task task, String summary) {
        return start(task, summary, null);
    }

    /** Starts the task's workflow, routed to {@code agent} (null: outside any agent). */
    public Mono<Boolean> start(Task task, String summary, TaskAgent agent) {
        return Mono.fromCallable(() -> {
            WorkflowOptions options = labels.label(WorkflowOptions.newBuilder()
                    .setWorkflowId(task.workflowId())
                    .setTaskQueue(TaskQueues.TASKS)
                    .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                    .setWorkflowExecutionTimeout(executionTimeout(task))
                    .setPriority(Priority.newBuilder().setPriorityKey(task.priority().temporalPriorityKey()).build())
                    .setStaticSummary(TemporalLimits.summary(summary)), task)
                    .build();
            TaskWorkflow workflow = client.newWorkflowStub(TaskWorkflow.class, options);
            Map<String, Object> parameters = json.convertValue(task.parameters(), new TypeReference<>() { });
            try {
                WorkflowClient.start(workflow::run, new TaskWorkflowInput(
                        task.id().toString(), task.type(), parameters, task.timeoutSeconds(), agent));
                return true;
            } catch (WorkflowExecutionAlreadyStarted e) {
                return false;
            }
        }).subscribeOn(Schedulers.boundedElastic());
    }

    Duration executionTimeout(Task task) {
        return Duration.ofSeconds(task.timeoutSeconds()).plus(executionGrace);
    }

    Duration executionGrace() {
        return executionGrace;
    }

    /** The workflow's live progress, or empty when no worker answers in time. */
    public Mono<TaskProgress> progress(Task task) {
        return Mono.fromCallable(() -> client.newWorkflowStub(TaskWorkflow.class, task.workflowId()).progress())
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(QUERY_TIMEOUT)
                .onErrorResume(e -> Mono.empty());
    }

    /**
     * Where a routed task waits in its agent's line now, from the agent's slot workflow:
     * the task workflow hears of every change only while it is among the first ten. Empty when the task does
     * not wait, or no worker answers in time.
     */
    public Mono<QueuePlace> queuePlace(Task task) {
        if (task.agent() == null) {
            return Mono.empty();
        }
        return Mono.fromCallable(() -> client.newWorkflowStub(AgentSlotsWorkflow.class,
                        AgentSlotsIds.forAgent(task.agent().id().toString())).slots())
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(QUERY_TIMEOUT)
                .onErrorResume(e -> Mono.empty())
                .flatMap(slots -> {
                    int index = slots.waiting().indexOf(task.workflowId());
                    return index < 0 ? Mono.empty()
                            : Mono.just(new QueuePlace(index + 1, slots.waiting().size(), slots.limits().active()));
                });
    }

    public Mono<Void> cancel(Task task) {
        return Mono.fromRunnable(() -> client.newUntypedWorkflowStub(task.workflowId()).cancel())
                .subscribeOn(Schedulers.boundedElastic())
                .then();
    }

    /** Ends the workflow at once, without letting it record anything; one that has ended already is left alone. */
    Mono<Void> terminate(Task task, String reason) {
        return Mono.fromRunnable(() -> client.newUntypedWorkflowStub(task.workflowId()).terminate(reason))
                .onErrorResume(WorkflowNotFoundException.class, e -> Mono.empty())
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
