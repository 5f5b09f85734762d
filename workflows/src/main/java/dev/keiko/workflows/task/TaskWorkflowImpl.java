package dev.keiko.workflows.task;

import dev.keiko.workflows.agent.QueuePlace;
import dev.keiko.workflows.agent.SlotAnswer;
import dev.keiko.workflows.search.KeikoSearchAttributes;
import dev.keiko.workflows.search.TaskMemo;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.payload.codec.PayloadCodecException;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ContinueAsNewOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;

public class TaskWorkflowImpl implements TaskWorkflow {

    private static final Logger log = Workflow.getLogger(TaskWorkflowImpl.class);
    private static final String PAYLOAD_MISSING_CHANGE = "payload-missing";
    private static final String STATUS_ATTRIBUTE_CHANGE = "status-search-attribute";
    /**
     * From version 1 on, marking the task running and recording its outcome are local activities: each runs in the
     * workflow task that asks for it, which spares a task two activity tasks and two workflow tasks. The outcome of a
     * task that was cancelled or timed out is still recorded by an ordinary activity: the workflow task that asks a
     * call to stop would otherwise hold that request back from Temporal until the outcome's write returned.
     */
    static final String LOCAL_RECORDS_CHANGE = "local-task-records";
    /** The longest an agent task waits for its cancelled calls to stop before it gives its slot back. */
    private static final Duration CALLS_STOP_LIMIT = Duration.ofSeconds(15);
    private static final String CANCELLED_MESSAGE = "Task was cancelled";

    private final TaskRecordActivities remoteRecords =
            Workflow.newActivityStub(TaskRecordActivities.class, TaskActivityOptions.database());
    private final TaskRecordActivities localRecords =
            Workflow.newLocalActivityStub(TaskRecordActivities.class, TaskActivityOptions.localDatabase());
    private TaskRecordActivities records;

    private TaskProgress progress = new TaskProgress(TaskStatuses.PENDING, null, 0, List.of(), 0, List.of());
    private final Approvals approvals = new Approvals(() -> setProgress(progress.status(), progress.step()));
    private final List<AgentStep> steps = new ArrayList<>();
    private final StepListener listener = new StepListener() {
        @Override
        public void started(String label) {
            setProgress(TaskStatuses.RUNNING, label);
        }

        @Override
        public void finished(AgentStep step) {
            steps.add(step);
            setProgress(progress.status(), progress.step());
        }
    };
    // Its metadata (step, model, tokens, agent steps) is kept for every outcome, so a cancelled or timed-out
    // task still records what it spent.
    private TaskRunner runner;
    private Promise<TaskOutcome> work;
    // The agent's slot, for a task routed to an agent; null for any other.
    private AgentSlot slot;
    private QueuePlace queuePlace;
    // Whether the workflow keeps KeikoStatus current: only when it was started with Keiko's search attributes.
    private boolean keepsStatusAttribute;

    @Override
    public TaskWorkflowOutput run(TaskWorkflowInput input) {
        // The API sets Keiko's search attributes only where the namespace has them registered: a workflow that
        // started without them must not upsert them (the server would fail its workflow tasks).
        keepsStatusAttribute = Workflow.getTypedSearchAttributes().containsKey(KeikoSearchAttributes.KIND)
                && Workflow.getVersion(STATUS_ATTRIBUTE_CHANGE, Workflow.DEFAULT_VERSION, 1) == 1;
        records = Workflow.getVersion(LOCAL_RECORDS_CHANGE, Workflow.DEFAULT_VERSION, 1) == 1
                ? localRecords : remoteRecords;
        boolean continued = input.checkpoint() != null;
        long startedAt = continued ? input.checkpoint().startedAtMillis() : Workflow.currentTimeMillis();
        TaskResult result;
        CanceledFailure cancellation = null;
        boolean timedOut = false;
        CancellationScope scope = Workflow.newCancellationScope(
                () -> work = Async.function(this::execute, input, startedAt));
        runner = runnerFor(input);
        if (input.agent() != null) {
            slot = new AgentSlot(input.agent(), input.taskId(), this::showPlace);
        }
        long deadline = startedAt + input.timeoutSeconds() * 1000;
        try {
            if (continued) {
                // A continued run keeps the slot of the run it continues: the workflow id is the same.
                steps.addAll(input.checkpoint().steps());
            } else {
                if (slot != null) {
                    awaitSlot(input, deadline);
                }
                MarkTaskRunningOutput marked = records.markRunning(new MarkTaskRunningInput(input.taskId(),
                        slot == null ? startedAt : Workflow.currentTimeMillis()));
                if (marked.taskEnded()) {
                    // The read model already holds an outcome (for example the API gave up on starting us).
                    log.info("task {} had already ended {}; not running it", input.taskId(), marked.status());
                    if (slot != null) {
                        slot.release();
                    }
                    setProgress(marked.status(), null);
                    return new TaskWorkflowOutput(null);
                }
            }
            setProgress(TaskStatuses.RUNNING, progress.step());
            scope.run();
            long timeLeft = Math.max(0, deadline - Workflow.currentTimeMillis());
            boolean finished = Workflow.await(Duration.ofMillis(timeLeft), work::isCompleted);
            if (finished) {
                result = result(input, work.get());
            } else {
                scope.cancel("task timed out");
                timedOut = true;
                result = failure(TaskErrorTypes.TIMEOUT,
                        "Task timed out after " + input.timeoutSeconds() + " s", startedAt, progress.step());
            }
        } catch (TaskFailedException e) {
            // Only the wait for a slot throws it here; a runner's failure is an outcome of its own.
            result = failure(e.errorType(), e.getMessage(), startedAt, null);
        } catch (CanceledFailure e) {
            cancellation = e;
            result = cancelled(input, startedAt);
        } catch (PayloadCodecException e) {
            // The first run that misses the payload records a marker, so that every replay of that run (after a
            // worker restart or a cache eviction) misses it again and takes the same path. A replay finds no
            // marker when the payload was read once and the run went on: any ending now, even failing the
            // workflow, is a command that history contradicts, so the workflow task fails, naming the payload,
            // until the workflow's execution timeout ends it.
            if (Workflow.getVersion(PAYLOAD_MISSING_CHANGE, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
                throw new IllegalStateException("Cannot replay task " + input.taskId() + ": " + e.getMessage(), e);
            }
            result = failure(TaskErrorTypes.PAYLOAD_MISSING, e.getMessage(), startedAt, progress.step());
        } catch (ActivityFailure e) {
            if (e.getCause() instanceof CanceledFailure canceled && CancellationScope.current().isCancelRequested()) {
                cancellation = canceled;
                result = cancelled(input, startedAt);
            } else {
                result = failure(errorType(e), errorMessage(e), startedAt, progress.step());
            }
        }
        TaskResult outcome = withTime(result, startedAt);
        String status = cancellation != null ? TaskStatuses.CANCELLED
                : outcome.success() ? TaskStatuses.COMPLETED : TaskStatuses.FAILED;
        if (slot != null) {
            awaitCallsStopped();
            slot.release();
        }
        // A cancelled workflow's own scope is cancelled: record the outcome from a detached one.
        TaskRecordActivities outcomeRecords = cancellation != null || timedOut ? remoteRecords : records;
        Workflow.newDetachedCancellationScope(() -> outcomeRecords.recordOutcome(
                new RecordTaskOutcomeInput(input.taskId(), status, outcome, Workflow.currentTimeMillis()))).run();
        setProgress(status, progress.step());
        log.info("task {} ended {}", input.taskId(), status);

        if (cancellation != null) {
            throw cancellation;
        }
        if (!outcome.success()) {
            throw ApplicationFailure.newNonRetryableFailure(outcome.errorMessage(), outcome.errorType());
        }
        return new TaskWorkflowOutput(outcome);
    }

    /**
     * The result of a cancelled task. From {@link CancelledModelCalls#CHANGE_ID} on, a completion or agent task
     * first waits for its run to stop (bounded, like {@link #awaitCallsStopped}); when the cancel cut a model call
     * short, the result keeps what the call had written, with the tokens and steps spent.
     */
    private TaskResult cancelled(TaskWorkflowInput input, long startedAt) {
        boolean callsModels = TaskTypes.COMPLETION.equals(input.type()) || TaskTypes.AGENT.equals(input.type());
        if (work != null && callsModels && CancelledModelCalls.handOverPartialAnswers()) {
            awaitCallsStopped();
            if (work.isCompleted() && work.getFailure() == null && work.get() instanceof TaskOutcome.Cancelled cut) {
                return new TaskResult(false, cut.answer(), CANCELLED_MESSAGE, TaskErrorTypes.CANCELLED,
                        seconds(startedAt), metadata(cut.metadata(), progress.step()));
            }
        }
        return failure(TaskErrorTypes.CANCELLED, CANCELLED_MESSAGE, startedAt, progress.step());
    }

    /**
     * After a timeout or a cancel, waits until the task's calls have stopped (an agent's are cancelled with
     * {@link TaskActivityOptions#cancellation}), so that the next task of the agent never runs beside them and a
     * cut-short model call hands over its answer so far. Bounded: a call whose worker died stops at its
     * heartbeat timeout.
     */
    private void awaitCallsStopped() {
        if (work != null && !work.isCompleted()) {
            Workflow.newDetachedCancellationScope(() -> Workflow.await(CALLS_STOP_LIMIT, work::isCompleted)).run();
        }
    }

    @Override
    public TaskProgress progress() {
        return progress;
    }

    @Override
    public ApprovalDecisionOutput decideApproval(ApprovalDecisionInput input) {
        return approvals.decide(input);
    }

    @Override
    public void validateApproval(ApprovalDecisionInput input) {
        approvals.validate(input);
    }

    @Override
    public void slotAnswered(SlotAnswer answer) {
        if (slot != null) {
            slot.answered(answer);
        }
    }

    @Override
    public void queuePlaceChanged(QueuePlace place) {
        if (slot != null) {
            slot.placeChanged(place);
        }
    }

    /**
     * Waits, {@code pending}, for a slot of the task's agent until the task's deadline; throws the failure to end
     * with when it gets none: a timeout, or the agent's deletion.
     */
    private void awaitSlot(TaskWorkflowInput input, long deadline) {
        Optional<SlotAnswer> answered = slot.await(deadline);
        queuePlace = null;
        String agent = input.agent().agentName();
        SlotAnswer answer = answered.orElseThrow(() -> new TaskFailedException(TaskErrorTypes.TIMEOUT,
                "Task timed out after " + input.timeoutSeconds() + " s waiting for a slot of agent " + agent));
        if (!answer.granted()) {
            throw new TaskFailedException(TaskErrorTypes.AGENT_DELETED,
                    "Agent " + agent + " was deleted before the task got one of its slots");
        }
    }

    private void showPlace(QueuePlace place) {
        queuePlace = place;
        setProgress(TaskStatuses.PENDING, null);
    }

    private TaskRunner runnerFor(TaskWorkflowInput input) {
        return switch (input.type()) {
            case TaskTypes.TOOL -> new ToolTask(listener);
            case TaskTypes.COMPLETION -> new CompletionTask(listener);
            case TaskTypes.AGENT -> new AgentTask(listener, approvals, input.checkpoint());
            case TaskTypes.IMAGE -> new ImageTask(listener);
            default -> (unknown, startedAt) -> {
                throw new InvalidParametersException("Unknown task type '" + input.type() + "'");
            };
        };
    }

    /** The runner's outcome; a failure of the task itself is an outcome too. */
    private TaskOutcome execute(TaskWorkflowInput input, long startedAt) {
        try {
            return runner.run(input, startedAt);
        } catch (TaskFailedException e) {
            return new TaskOutcome.Failed(e.errorType(), e.getMessage(), runner.metadata());
        } catch (InvalidParametersException e) {
            String type = TaskTypes.ALL.contains(input.type()) ? TaskErrorTypes.INVALID_PARAMETERS
                    : TaskErrorTypes.UNKNOWN_TASK_TYPE;
            return new TaskOutcome.Failed(type, e.getMessage(), runner.metadata());
        }
    }

    /** The result of a finished run; continues as new when the run asks to. */
    private TaskResult result(TaskWorkflowInput input, TaskOutcome outcome) {
        return switch (outcome) {
            case TaskOutcome.Completed completed ->
                    TaskResult.success(completed.data(), 0, metadata(completed.metadata(), null));
            case TaskOutcome.Failed failed ->
                    TaskResult.failure(failed.errorType(), failed.message(), 0, metadata(failed.metadata(), null));
            // Only the task's cancel cuts a call short, and the wait for the run meets that cancel first; should
            // the run end so anyway, the task ends cancelled with the answer so far.
            case TaskOutcome.Cancelled cut -> throw new CanceledFailure(CANCELLED_MESSAGE);
            case TaskOutcome.ContinueAsNew next -> {
                log.info("task {} continues as new at model call {}", input.taskId(), next.checkpoint().nextCall());
                Workflow.continueAsNew(continuation(), input.continuedAt(next.checkpoint()));
                throw new IllegalStateException("continueAsNew returned");
            }
        };
    }

    /**
     * How the next run starts: with this run's search attributes (the SDK copies them) and its memo, which
     * neither the SDK nor every server copies.
     */
    private static ContinueAsNewOptions continuation() {
        String taskId = Workflow.getMemo(TaskMemo.TASK_ID, String.class, String.class);
        String ownerId = Workflow.getMemo(TaskMemo.OWNER_ID, String.class, String.class);
        ContinueAsNewOptions.Builder options = ContinueAsNewOptions.newBuilder();
        if (taskId != null && ownerId != null) {
            options.setMemo(TaskMemo.of(taskId, ownerId));
        }
        return options.build();
    }

    private void setProgress(String status, String step) {
        List<PendingApproval> waiting = approvals.pending();
        boolean active = TaskStatuses.RUNNING.equals(status) || TaskStatuses.AWAITING_APPROVAL.equals(status);
        String shown = !active ? status : waiting.isEmpty() ? TaskStatuses.RUNNING : TaskStatuses.AWAITING_APPROVAL;
        boolean queued = queuePlace != null && TaskStatuses.PENDING.equals(status);
        progress = new TaskProgress(shown, step, Workflow.currentTimeMillis(), steps, steps.size(), waiting,
                queued ? queuePlace.place() : null, queued ? queuePlace.waiting() : null);
        showStatus(shown);
    }

    /** Keeps {@link KeikoSearchAttributes#STATUS} at the status shown, upserting it when it changes. */
    private void showStatus(String shown) {
        if (keepsStatusAttribute
                && !shown.equals(Workflow.getTypedSearchAttributes().get(KeikoSearchAttributes.STATUS))) {
            Workflow.upsertTypedSearchAttributes(KeikoSearchAttributes.STATUS.valueSet(shown));
        }
    }

    private static TaskResult withTime(TaskResult result, long startedAt) {
        return new TaskResult(result.success(), result.data(), result.errorMessage(), result.errorType(),
                seconds(startedAt), result.metadata());
    }

    private TaskResult failure(String type, String message, long startedAt, String step) {
        return TaskResult.failure(type, message, seconds(startedAt), metadata(runner.metadata(), step));
    }

    private static double seconds(long startedAt) {
        return (Workflow.currentTimeMillis() - startedAt) / 1000.0;
    }

    private static Map<String, Object> metadata(RunMetadata reported, String step) {
        Map<String, Object> all = reported.entries();
        all.put("workflowId", Workflow.getInfo().getWorkflowId());
        if (step != null) {
            all.putIfAbsent("step", step);
        }
        return all;
    }

    private static String errorType(ActivityFailure failure) {
        if (failure.getCause() instanceof ApplicationFailure application) {
            return application.getType();
        }
        return TaskErrorTypes.ACTIVITY_FAILED;
    }

    private static String errorMessage(ActivityFailure failure) {
        if (failure.getCause() instanceof ApplicationFailure application) {
            return application.getOriginalMessage();
        }
        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
        return cause.getMessage();
    }
}
