package dev.keiko.activities.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keiko.activities.ActivitiesTest;
import dev.keiko.domain.payload.OffloadingPayloadCodec;
import dev.keiko.domain.payload.PayloadStore;
import dev.keiko.domain.task.NewTask;
import dev.keiko.domain.task.Task;
import dev.keiko.domain.task.TaskPriority;
import dev.keiko.domain.task.TaskStatus;
import dev.keiko.domain.task.TaskStore;
import dev.keiko.domain.user.Role;
import dev.keiko.domain.user.UserProfile;
import dev.keiko.domain.user.UserStore;
import dev.keiko.workflows.TaskQueues;
import dev.keiko.workflows.task.TaskErrorTypes;
import dev.keiko.workflows.task.TaskRecordActivities;
import dev.keiko.workflows.task.TaskTypes;
import dev.keiko.workflows.task.TaskWorkflow;
import dev.keiko.workflows.task.TaskWorkflowImpl;
import dev.keiko.workflows.task.TaskWorkflowImplementation;
import dev.keiko.workflows.task.TaskWorkflowInput;
import dev.keiko.workflows.task.TaskWorkflowOutput;
import dev.keiko.workflows.tool.ListToolsInput;
import dev.keiko.workflows.tool.ListToolsOutput;
import dev.keiko.workflows.tool.ToolActivities;
import dev.keiko.workflows.tool.ToolCallInput;
import dev.keiko.workflows.tool.ToolCallOutput;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.unsafe.WorkflowUnsafe;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * An offloaded activity result whose row is gone by the time the workflow reads it fails the task with
 * {@link TaskErrorTypes#PAYLOAD_MISSING}, in the workflow and in the read model, instead of failing
 * workflow tasks for good. Real codec, real task records, embedded PostgreSQL.
 */
class MissingPayloadTest extends ActivitiesTest {

    /** Stores payloads, and deletes each one an activity's result stored as soon as it is stored. */
    static final class LosingStore extends PayloadStore {

        final List<String> deleted = new CopyOnWriteArrayList<>();
        private final DatabaseClient db;

        LosingStore(DatabaseClient db) {
            super(db);
            this.db = db;
        }

        @Override
        public Mono<Void> save(String id, byte[] data) {
            if (WorkflowUnsafe.isWorkflowThread()) {
                return super.save(id, data);
            }
            return super.save(id, data).then(db.sql("DELETE FROM payloads WHERE id = :id").bind("id", id).then())
                    .doOnSuccess(done -> deleted.add(id));
        }
    }

    /** A tool whose answer is far over the offload threshold. */
    static final class LargeAnswers implements ToolActivities {

        @Override
        public ToolCallOutput callTool(ToolCallInput input) {
            return new ToolCallOutput(List.of(Map.of("type", "text", "text", "large ".repeat(5_000))), null);
        }

        @Override
        public ListToolsOutput listTools(ListToolsInput input) {
            return new ListToolsOutput(List.of());
        }
    }

    @Autowired
    DatabaseClient db;

    @Autowired
    TaskStore tasks;

    @Autowired
    UserStore users;

    @Autowired
    TaskRecordActivities records;

    @Autowired
    JsonMapper json;

    @Test
    void aLostActivityResultFailsTheTaskWithPayloadMissing() {
        LosingStore store = new LosingStore(db);
        try (TestWorkflowEnvironment env = environment(store)) {
            Task task = newToolTask();
            WorkflowStub workflow = start(env, task, Map.of("server", "everything", "tool", "echo"));

            assertThatThrownBy(() -> workflow.getResult(20, TimeUnit.SECONDS, TaskWorkflowOutput.class))
                    .isInstanceOf(WorkflowFailedException.class)
                    .cause().isInstanceOfSatisfying(ApplicationFailure.class, failure ->
                            assertThat(failure.getType()).isEqualTo(TaskErrorTypes.PAYLOAD_MISSING));
            assertThat(store.deleted).hasSize(1);
            Task recorded = tasks.findById(task.id()).block();
            assertThat(recorded.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(recorded.result().path("errorType").asString()).isEqualTo(TaskErrorTypes.PAYLOAD_MISSING);
            assertThat(recorded.result().path("errorMessage").asString()).contains(store.deleted.getFirst());
            assertThat(failedWorkflowTasks(env, task)).isZero();
        }
    }

    @Test
    void aLostWorkflowInputFailsTheWorkflowInsteadOfItsWorkflowTasks() {
        LosingStore store = new LosingStore(db);
        try (TestWorkflowEnvironment env = environment(store)) {
            Task task = newToolTask();
            // The client offloads the large input, and the row is gone before the worker reads it.
            WorkflowStub workflow = start(env, task, Map.of("server", "everything", "tool", "echo",
                    "arguments", Map.of("text", "large ".repeat(5_000))));

            assertThatThrownBy(() -> workflow.getResult(20, TimeUnit.SECONDS, TaskWorkflowOutput.class))
                    .isInstanceOf(WorkflowFailedException.class)
                    .cause().isInstanceOfSatisfying(ApplicationFailure.class, failure ->
                            assertThat(failure.getOriginalMessage()).contains(store.deleted.getFirst()));
            assertThat(failedWorkflowTasks(env, task)).isZero();
        }
    }

    private TestWorkflowEnvironment environment(PayloadStore store) {
        TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(WorkflowClientOptions.newBuilder().setDataConverter(new CodecDataConverter(
                        DefaultDataConverter.newDefaultInstance(), List.of(new OffloadingPayloadCodec(store, 1024))))
                        .build())
                .build());
        Worker worker = env.newWorker(TaskQueues.TASKS);
        worker.registerWorkflowImplementationTypes(TaskWorkflowImplementation.options(), TaskWorkflowImpl.class);
        worker.registerActivitiesImplementations(records, new LargeAnswers());
        env.start();
        return env;
    }

    private static WorkflowStub start(TestWorkflowEnvironment env, Task task, Map<String, Object> parameters) {
        TaskWorkflow workflow = env.getWorkflowClient().newWorkflowStub(TaskWorkflow.class,
                WorkflowOptions.newBuilder().setWorkflowId(task.workflowId()).setTaskQueue(TaskQueues.TASKS).build());
        WorkflowStub stub = WorkflowStub.fromTyped(workflow);
        stub.start(new TaskWorkflowInput(task.id().toString(), TaskTypes.TOOL, parameters, 60));
        return stub;
    }

    private static long failedWorkflowTasks(TestWorkflowEnvironment env, Task task) {
        return env.getWorkflowClient().fetchHistory(task.workflowId()).getEvents().stream()
                .filter(event -> event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED).count();
    }

    private Task newToolTask() {
        var owner = users.insert(uniqueName("owner"), "{noop}x", Role.USER, UserProfile.EMPTY).block();
        return tasks.insert(new NewTask(owner.id(), TaskTypes.TOOL, json.valueToTree(Map.of("server", "everything",
                "tool", "echo")), TaskPriority.NORMAL, 60, null, null)).block().task();
    }
}
