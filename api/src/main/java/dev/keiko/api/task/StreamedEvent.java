package dev.keiko.api.task;

import dev.keiko.domain.task.event.TaskEvent;
import org.springframework.http.codec.ServerSentEvent;

/**
 * An event of the log as a stream sends it; {@code last} when it is the task's final status, after which the stream
 * ends.
 */
record StreamedEvent(TaskEvent event, ServerSentEvent<Object> sse, boolean last) {

    long seq() {
        return event.seq();
    }

    /** Whether a stream sends it: the text of abandoned attempts only to streams that asked for it. */
    boolean sentTo(boolean includeAbandoned) {
        return includeAbandoned || !(event instanceof TaskEvent.TextWritten text && text.abandoned());
    }
}
