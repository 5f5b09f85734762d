package dev.keiko.api.task;

import dev.keiko.domain.task.event.TaskEvent.AttemptAbandoned;

/** An {@code attempt-abandoned} event: drop the text of that attempt of that model call. */
record AttemptAbandonedView(String call, int attempt) {

    static AttemptAbandonedView of(AttemptAbandoned event) {
        return new AttemptAbandonedView(event.call().callId(), event.call().attempt());
    }
}
