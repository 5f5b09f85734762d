package dev.keiko.workflows.agent;

import io.temporal.workflow.Promise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tells waiting task workflows their place in line, in bounded numbers since each notice is a signal: after every
 * change the first {@link #TOLD_PLACES} waiters hear their place when it differs from what they were last told,
 * and a newcomer further back hears its first place once; it hears again only when it reaches the first
 * {@link #TOLD_PLACES}. A run continued as new counts everyone beyond the head as told, so that only the head of the
 * line hears its place again.
 */
final class PlaceNotices {

    /** How many places at the head of the line hear of every change to their place. */
    static final int TOLD_PLACES = 10;

    private final Map<String, QueuePlace> told = new HashMap<>();
    private final List<Promise<Void>> sent = new ArrayList<>();

    /** Tells the waiters of {@code line} (first served first) whose place they should hear. */
    void tell(List<SlotRequest> line, boolean agentActive) {
        for (int i = 0; i < line.size(); i++) {
            String id = line.get(i).taskWorkflowId();
            if (i >= TOLD_PLACES && told.containsKey(id)) {
                continue;
            }
            QueuePlace place = new QueuePlace(i + 1, line.size(), agentActive);
            if (!place.equals(told.get(id))) {
                told.put(id, place);
                sent.add(TaskSignals.send(id, TaskSignals.QUEUE_PLACE_CHANGED, place));
            }
        }
        sent.removeIf(Promise::isCompleted);
    }

    /**
     * A continued run: the waiters beyond the first {@link #TOLD_PLACES} were told their place before, so they
     * are not told again until the line changes for them as it would have in the earlier run.
     */
    void restored(List<SlotRequest> line, boolean agentActive) {
        for (int i = TOLD_PLACES; i < line.size(); i++) {
            told.put(line.get(i).taskWorkflowId(), new QueuePlace(i + 1, line.size(), agentActive));
        }
    }

    /** The task workflow left the line. */
    void forget(String taskWorkflowId) {
        told.remove(taskWorkflowId);
    }

    /** Every notice sent has been delivered or has failed (a waiter gone is the holder check's business). */
    boolean delivered() {
        return sent.stream().allMatch(Promise::isCompleted);
    }
}
