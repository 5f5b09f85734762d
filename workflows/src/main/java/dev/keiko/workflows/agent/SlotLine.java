package dev.keiko.workflows.agent;

import java.util.ArrayList;
import java.util.List;

/**
 * The task workflows waiting for an agent's slot, in the order they are served: priority rank, then
 * submission time, then arrival (a request never overtakes an equal one that came first).
 */
final class SlotLine {

    private final List<SlotRequest> waiting = new ArrayList<>();

    /** A line holding {@code ordered}, which is already in order (a carried line). */
    SlotLine(List<SlotRequest> ordered) {
        waiting.addAll(ordered);
    }

    boolean contains(String taskWorkflowId) {
        return indexOf(taskWorkflowId) >= 0;
    }

    /** Puts the request behind every request served before it or equal to it. */
    void add(SlotRequest request) {
        int at = 0;
        while (at < waiting.size() && !servedAfter(waiting.get(at), request)) {
            at++;
        }
        waiting.add(at, request);
    }

    /** Takes the task workflow out of the line; false when it was not in it. */
    boolean remove(String taskWorkflowId) {
        int at = indexOf(taskWorkflowId);
        if (at < 0) {
            return false;
        }
        waiting.remove(at);
        return true;
    }

    SlotRequest poll() {
        return waiting.removeFirst();
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }

    /** The waiting requests, first served first. */
    List<SlotRequest> all() {
        return List.copyOf(waiting);
    }

    private int indexOf(String taskWorkflowId) {
        for (int i = 0; i < waiting.size(); i++) {
            if (waiting.get(i).taskWorkflowId().equals(taskWorkflowId)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean servedAfter(SlotRequest queued, SlotRequest request) {
        return queued.priorityRank() != request.priorityRank() ? queued.priorityRank() > request.priorityRank()
                : queued.submittedAtMillis() > request.submittedAtMillis();
    }
}
