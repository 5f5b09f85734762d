package dev.keiko.api.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.keiko.domain.task.event.TaskEvent.Progressed;
import java.time.Instant;
import java.util.UUID;

/** A progress event of a task's event stream: what the work reported, for example an MCP tool's progress. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ProgressView(UUID taskId, String message, Double progress, Double total, Instant at) {

    static ProgressView of(Progressed event) {
        return new ProgressView(event.taskId(), event.message(), event.progress(), event.total(), event.at());
    }
}
