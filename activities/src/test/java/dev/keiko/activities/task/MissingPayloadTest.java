package dev.keiko.activities.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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
import dev.keiko.workflows.task.AnnounceProgressInput;
import dev.keiko.workflows.task.AnnounceProgressOutput;
import dev.keiko.workflows.task.MarkTaskRunningInput;
import dev.keiko.workflows.task.MarkTaskRunningOutput;
import dev.keiko.workflows.task.RecordTaskOutcomeInput;
import dev.keiko.workflows.task.RecordTaskOutcomeOutput;
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
import io.temporal.api.failure.v1.Failure;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import io.temporal.workflow.unsafe.WorkflowUnsafe;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
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

    /** Stores payloads and keeps the ids of those stored. */
    static final class RecordingStore extends PayloadStore {

        final List<String> saved = new CopyOnWriteArrayList<>();

        RecordingStore(DatabaseClient db) {
            super(db);
        }

        @Override
        public Mono<Void> save(String id, byte[] data) {
            saved.add(id);
            return super.save(id, data);
        }
    }

    /**
     * The task records, with the outcome refused until the test lets it through (as during a database outage): the
     * local activity's later attempts then wait on a workflow timer, between workflow tasks.
     */
    static final class HeldOutcomes implements TaskRecordActivities {

        final CountDownLatch recording = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final TaskRecordActivities records;

        HeldOutcomes(TaskRecordActivities records) {
            this.records = records;
        }

        @Override
        public MarkTaskRunningOutput markRunning(MarkTaskRunningInput input) {
            return records.markRunning(input);
        }

        @Override
        public RecordTaskOutcomeOutput recordOutcome(RecordTaskOutcomeInput input) {
            recording.countDown();
            if (release.getCount() > 0) {
                throw new IllegalStateException("held back by the test");
            }
            return records.recordOutcome(input);
        }

        @Override
        public AnnounceProgressOutput announceProgress(AnnounceProgressInput input) {
            return records.announceProgress(input);
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

    /**
     * A worker that caches nothing replays the whole history for every workflow task: the task that follows
     * the recorded outcome misses the payload again, and must take the same PAYLOAD_MISSING path.
     */
    @Test
    void aLostActivityResultFailsTheTaskWithPayloadMissingOnAWorkerThatCachesNothing() {
        LosingStore store = new LosingStore(db);
        try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(WorkflowClientOptions.newBuilder().setDataConverter(converter(store)).build())
                .build())) {
            env.newWorker(TaskQueues.TASKS).registerActivitiesImplementations(records, new LargeAnswers());
            env.start();
            WorkerFactory uncached = workflowWorker(env, store);
            try {
                Task task = newToolTask();
                WorkflowStub workflow = start(env, task, Map.of("server", "everything", "tool", "echo"));

                assertThatThrownBy(() -> workflow.getResult(20, TimeUnit.SECONDS, TaskWorkflowOutput.class))
                        .isInstanceOf(WorkflowFailedException.class)
                        .cause().isInstanceOfSatisfying(ApplicationFailure.class, failure ->
                                assertThat(failure.getType()).as(failure.getOriginalMessage())
                                        .isEqualTo(TaskErrorTypes.PAYLOAD_MISSING));
                assertThat(store.deleted).hasSize(1);
                Task recorded = tasks.findById(task.id()).block();
                assertThat(recorded.status()).isEqualTo(TaskStatus.FAILED);
                assertThat(recorded.result().path("errorType").asString()).isEqualTo(TaskErrorTypes.PAYLOAD_MISSING);
                assertThat(failedWorkflowTasks(env, task)).isZero();
            } finally {
                uncached.shutdownNow();
            }
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

    /**
     * Once a run has gone past a payload, no ending is possible without contradicting its history: a worker
     * that must replay it fails the workflow task with a message naming the payload (not a non-determinism
     * error), until the workflow's execution timeout ends it.
     */
    @Test
    void aResultLostAfterItWasReadFailsTheReplayingWorkflowTaskNamingThePayload() throws Exception {
        RecordingStore store = new RecordingStore(db);
        HeldOutcomes outcomes = new HeldOutcomes(records);
        try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(WorkflowClientOptions.newBuilder().setDataConverter(converter(store)).build())
                .build())) {
            // Activities on the environment's worker; the workflow on a worker of its own, replaced halfway.
            env.newWorker(TaskQueues.TASKS).registerActivitiesImplementations(outcomes, new LargeAnswers());
            env.start();
            WorkerFactory first = workflowWorker(env, store, outcomes);
            Task task = newToolTask();
            start(env, task, Map.of("server", "everything", "tool", "echo"));
            // The first worker read the large result and went on to record the outcome.
            assertThat(outcomes.recording.await(20, TimeUnit.SECONDS)).isTrue();
            // Its workflow task ended with the outcome's retry waiting on a timer (the task's deadline is the other).
            await().atMost(Duration.ofSeconds(20)).until(() -> env.getWorkflowClient()
                    .fetchHistory(task.workflowId()).getEvents().stream()
                    .filter(event -> event.getEventType() == EventType.EVENT_TYPE_TIMER_STARTED).count() >= 2);
            first.shutdownNow();
            first.awaitTermination(10, TimeUnit.SECONDS);
            assertThat(store.saved).isNotEmpty();
            store.saved.forEach(id -> db.sql("DELETE FROM payloads WHERE id = :id").bind("id", id).then().block());

            // A new worker, with nothing cached, replays the history to take the next step, and cannot read it.
            WorkerFactory second = workflowWorker(env, store, outcomes);
            outcomes.release.countDown();
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> failedWorkflowTasks(env, task) > 0);
                Failure failure = env.getWorkflowClient().fetchHistory(task.workflowId()).getEvents().stream()
                        .filter(event -> event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)
                        .findFirst().orElseThrow().getWorkflowTaskFailedEventAttributes().getFailure();
                StringBuilder messages = new StringBuilder(failure.getMessage());
                for (; failure.hasCause(); failure = failure.getCause()) {
                    messages.append('\n').append(failure.getCause().getMessage());
                }
                assertThat(messages.toString()).doesNotContain("does not match command").contains("Cannot replay task " + task.id())
                        .contains("Offloaded payload " + store.saved.getFirst() + " is not in PostgreSQL");
            } finally {
                second.shutdownNow();
            }
        }
    }

    /** A worker of its own for the task workflow, with a codec of its own, which has cached nothing yet. */
    private WorkerFactory workflowWorker(TestWorkflowEnvironment env, PayloadStore store) {
        return workflowWorker(env, store, records);
    }

    /** A worker for the workflow alone, caching nothing; it runs the task records too, which are local activities. */
    private static WorkerFactory workflowWorker(TestWorkflowEnvironment env, PayloadStore store,
            TaskRecordActivities taskRecords) {
        WorkflowClient client = WorkflowClient.newInstance(env.getWorkflowServiceStubs(), WorkflowClientOptions
                .newBuilder().setNamespace(env.getNamespace()).setDataConverter(converter(store)).build());
        WorkerFactory factory = WorkerFactory.newInstance(client, WorkerFactoryOptions.newBuilder()
                .setWorkflowCacheSize(0).build());
        factory.newWorker(TaskQueues.TASKS, WorkerOptions.newBuilder()
                        .setStickyQueueScheduleToStartTimeout(Duration.ZERO).setLocalActivityWorkerOnly(true).build())
                .registerWorkflowImplementationTypes(TaskWorkflowImplementation.options(), TaskWorkflowImpl.class);
        // Marking the task running and recording its outcome are local activities: the workflow's worker runs them.
        factory.getWorker(TaskQueues.TASKS).registerActivitiesImplementations(taskRecords);
        factory.start();
        return factory;
    }

    private static DataConverter converter(PayloadStore store) {
        return new CodecDataConverter(DefaultDataConverter.newDefaultInstance(),
                List.of(new OffloadingPayloadCodec(store, 1024)));
    }

    private TestWorkflowEnvironment environment(PayloadStore store) {
        TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(WorkflowClientOptions.newBuilder().setDataConverter(converter(store)).build())
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
