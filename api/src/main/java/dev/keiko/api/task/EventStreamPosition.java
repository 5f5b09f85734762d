package dev.keiko.api.task;

import dev.keiko.api.problem.Problems;
import java.util.regex.Pattern;

/**
 * Where a client resumes a task's event stream: after the event its {@code Last-Event-ID} header names (what an
 * EventSource sends when it reconnects), else after {@code ?after=N}, else from the start (blank counts as absent). Either must be a
 * non-negative whole number; a number past the newest event simply finds nothing after it.
 */
final class EventStreamPosition {

    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,19}");

    private EventStreamPosition() {
    }

    /** The sequence number to resume after; throws 400 for anything that is not a non-negative whole number. */
    static long after(String lastEventId, String afterParameter) {
        long fromParameter = parse(afterParameter, "The query parameter 'after'");
        long fromHeader = parse(lastEventId, "The Last-Event-ID header");
        return lastEventId != null && !lastEventId.isBlank() ? fromHeader : fromParameter;
    }

    private static long parse(String value, String what) {
        String trimmed = value == null ? "" : value.strip();
        if (trimmed.isEmpty()) {
            return 0;
        }
        if (NUMBER.matcher(trimmed).matches()) {
            try {
                return Long.parseLong(trimmed);
            } catch (NumberFormatException tooLarge) {
                // past the largest event number there can be: fall through to the refusal
            }
        }
        throw Problems.badRequest(what + " must be the id of an event: a whole number from 0 to "
                + Long.MAX_VALUE);
    }
}
