package dev.keiko.api.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.keiko.domain.task.event.TaskEvent.TextWritten;

/**
 * A {@code text} event: {@code text} continues the answer of that attempt of a model call {@code offset} characters
 * (UTF-16 code units) into it; {@code abandoned} is present (true) only on a stream that asked for abandoned text.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record TextView(String call, int attempt, String step, int offset, String text, Boolean abandoned) {

    static TextView of(TextWritten event) {
        return new TextView(event.call().callId(), event.call().attempt(), event.step(), event.offset(), event.text(),
                event.abandoned() ? Boolean.TRUE : null);
    }
}
