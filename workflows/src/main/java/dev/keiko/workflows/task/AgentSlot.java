package dev.keiko.workflows.task;

import dev.keiko.workflows.agent.AgentSlotActivities;
import dev.keiko.workflows.agent.AgentSlotsIds;
import dev.keiko.workflows.agent.AgentSlotsWorkflow;
import dev.keiko.workflows.agent.QueuePlace;
import dev.keiko.workflows.agent.RequestSlotInput;
import dev.keiko.workflows.agent.RequestSlotOutput;
import dev.keiko.workflows.agent.SlotAnswer;
import dev.keiko.workflows.agent.SlotRelease;
import dev.keiko.workflows.agent.SlotRequest;
import dev.keiko.workflows.search.KeikoSearchAttributes;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * The task workflow's side of its agent's slot: asks for it, waits in line showing and announcing its place,
 * and gives it back (or leaves the line) when the task ends.
 */
final class AgentSlot {

    private static final Logger log = Workflow.getLogger(AgentSlot.class);
    /**
     * From version 1 an answer cancels only the deadline timer and leaves the slot request to finish on its own.
     * The answer comes after the request got through, often while its activity is completing: cancelling it
     * then is a cancel of an activity that just completed, which Temporal's server ignores but its Java test
     * server refuses (ACTIVITY_UNKNOWN, sdk-java issue 2391), failing the workflow task again and again. The
     * deadline and the task's cancel still cancel the request: it is unfinished then only when it has not got
     * through all along (or the cancel came moments after the start), so it seldom completes at that very moment,
     * and the cancel stops its attempts.
     */
    static final String REQUEST_LEFT_TO_FINISH_CHANGE = "slot-request-left-to-finish";

    private final TaskAgent agent;
    private final String taskId;
    private final Consumer<QueuePlace> placeShown;
    private SlotAnswer answer;
    private QueuePlace place;
    private QueuePlace shown;
    private Promise<RequestSlotOutput> request;
    private Promise<Void> deadline;
    private CancellationScope asking;
    private CancellationScope timing;

    AgentSlot(TaskAgent agent, String taskId, Consumer<QueuePlace> placeShown) {
        this.agent = agent;
        this.taskId = taskId;
        this.placeShown = placeShown;
    }

    /**
     * Asks for a slot and waits for the answer until {@code deadlineMillis} (workflow time), announcing every
     * new place in line; empty when the deadline passed first.
     */
    Optional<SlotAnswer> await(long deadlineMillis) {
        long left = deadlineMillis - Workflow.currentTimeMillis();
        if (left <= 0) {
            return Optional.empty();
        }
        AgentSlotActivities slots = Workflow.newActivityStub(AgentSlotActivities.class,
                TaskActivityOptions.slotRequest());
        RequestSlotInput ask = new RequestSlotInput(agent.agentId(), new SlotRequest(
                Workflow.getInfo().getWorkflowId(), SlotRequest.rankOf(agent.priority()), agent.submittedAtMillis()),
                Workflow.getTypedSearchAttributes().containsKey(KeikoSearchAttributes.KIND));
        // The request is retried without limit and the deadline bounds it too: both start together, and one
        // timer covers the whole wait, so a place change starts no timer of its own. Each has a scope of its own
        // inside the wait's, so that an answer can cancel the timer alone; cancelling the wait (at the deadline,
        // or with the task) cancels the request, then the timer, as when both were in the wait's scope (the SDK
        // cancels child scopes in the order they were made).
        CancellationScope waiting = Workflow.newCancellationScope(() -> {
            asking = Workflow.newCancellationScope(() -> request = Async.function(slots::requestSlot, ask));
            asking.run();
            timing = Workflow.newCancellationScope(() -> deadline = Workflow.newTimer(Duration.ofMillis(left)));
            timing.run();
        });
        waiting.run();
        // Either may end cancelled; their failures are expected and read where they matter.
        request.handle((output, failure) -> output);
        deadline.handle((fired, failure) -> fired);
        while (answer == null) {
            Workflow.await(() -> answer != null || !Objects.equals(place, shown) || deadline.isCompleted()
                    || requestFailed());
            if (answer != null) {
                break;
            }
            if (requestFailed()) {
                throw request.getFailure();
            }
            if (!Objects.equals(place, shown)) {
                shown = place;
                placeShown.accept(place);
                ProgressAnnouncements.announce(taskId, waitingMessage(agent.agentName(), place));
            } else {
                waiting.cancel();
                return Optional.empty();
            }
        }
        stopWaiting();
        return Optional.of(answer);
    }

    /**
     * Once answered: cancels the deadline timer, and from {@link #REQUEST_LEFT_TO_FINISH_CHANGE} on leaves the
     * request alone (it got through, and its result is not read); before, cancelled it first. A late attempt of
     * the request, should one still run, reaches a slot workflow that ignores requests of tasks that hold a slot
     * or gave theirs back, and a closed task workflow's request is not tried again.
     */
    private void stopWaiting() {
        int version = Workflow.getVersion(REQUEST_LEFT_TO_FINISH_CHANGE, Workflow.DEFAULT_VERSION, 1);
        if (version == Workflow.DEFAULT_VERSION) {
            asking.cancel();
        }
        timing.cancel();
    }

    /** The request gave up (it is cancelled with the task, or was refused for good). */
    private boolean requestFailed() {
        return request.isCompleted() && request.getFailure() != null;
    }

    /** Gives the slot back, or leaves the line; a failed signal is left to the slot workflow's check. */
    void release() {
        Workflow.newDetachedCancellationScope(() -> {
            try {
                Workflow.newExternalWorkflowStub(AgentSlotsWorkflow.class, AgentSlotsIds.forAgent(agent.agentId()))
                        .releaseSlot(new SlotRelease(Workflow.getInfo().getWorkflowId()));
            } catch (RuntimeException e) {
                log.info("task {} could not release its slot of agent {}: {}", taskId, agent.agentId(),
                        e.getMessage());
            }
        }).run();
    }

    /** The first answer counts; a repeated one changes nothing. */
    void answered(SlotAnswer slotAnswer) {
        if (answer == null) {
            answer = slotAnswer;
        }
    }

    void placeChanged(QueuePlace queuePlace) {
        place = queuePlace;
    }

    /** For example {@code waiting for agent reviewer: 3rd of 7}. */
    static String waitingMessage(String agentName, QueuePlace place) {
        return "waiting for agent " + agentName + ": " + ordinal(place.place()) + " of " + place.waiting()
                + (place.agentActive() ? "" : " (agent inactive)");
    }

    private static String ordinal(int n) {
        String suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        return n + suffix;
    }
}
