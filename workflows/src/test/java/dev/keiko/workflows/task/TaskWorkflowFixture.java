package dev.keiko.workflows.task;

import dev.keiko.workflows.TaskQueues;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A time-skipping Temporal environment with a worker for {@link TaskWorkflowImpl} and activities
 * that keep the task records they are asked to write; each test adds the activities it scripts.
 * Register it as an instance field with {@code @RegisterExtension}: each test gets its own, closed after it.
 * Its worker sends heartbeats at most every 100 ms, as Keiko's worker does: an activity still running when the
 * test ends then learns of the shutdown at once, rather than at its next throttled heartbeat (4 s) that
 * {@link #close} would wait for.
 */
final class TaskWorkflowFixture implements AutoCloseable, AfterEachCallback {

    final TestWorkflowEnvironment env;
    final RecordingTaskRecords records = new RecordingTaskRecords();
    private final Worker worker;

    TaskWorkflowFixture() {
        this(TestWorkflowEnvironment.newInstance(), true);
    }

    private TaskWorkflowFixture(TestWorkflowEnvironment env, boolean sticky) {
        this.env = env;
        WorkerOptions.Builder options = WorkerOptions.newBuilder()
                .setMaxHeartbeatThrottleInterval(Duration.ofMillis(100));
        if (!sticky) {
            options.setStickyQueueScheduleToStartTimeout(Duration.ZERO);
        }
        worker = env.newWorker(TaskQueues.TASKS, options.build());
        worker.registerWorkflowImplementationTypes(TaskWorkflowImplementation.options(), TaskWorkflowImpl.class);
    }

    /**
     * In real time (no time skipping) and without sticky queues, as the dev system runs on its test server: every
     * workflow task is handed out anew with the whole history.
     */
    static TaskWorkflowFixture realTimeWithoutStickyQueues() {
        return new TaskWorkflowFixture(TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
                .setUseTimeskipping(false).build()), false);
    }

    /** Runs these workflow types too, on the same worker; call before {@link #start}. */
    void alsoRun(Class<?>... workflowTypes) {
        worker.registerWorkflowImplementationTypes(workflowTypes);
    }

    /** Registers the test's activities beside the task records, and starts the worker. */
    void start(Object... activities) {
        worker.registerActivitiesImplementations(records);
        worker.registerActivitiesImplementations(activities);
        env.start();
    }

    TaskWorkflow workflow(String taskId) {
        return env.getWorkflowClient().newWorkflowStub(TaskWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(TaskWorkflowIds.forTask(taskId))
                .setTaskQueue(TaskQueues.TASKS)
                .build());
    }

    /** The task workflow's history as it stands. */
    List<HistoryEvent> history(String taskId) {
        return env.getWorkflowClient().fetchHistory(TaskWorkflowIds.forTask(taskId)).getEvents();
    }

    /** How many workflow tasks of the task's workflow failed: each is the worker choking on what it read. */
    long failedWorkflowTasks(String taskId) {
        return history(taskId).stream()
                .filter(event -> event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED).count();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        env.close();
    }
}
