package dev.keiko.api.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.keiko.domain.task.TaskEvent;
import java.time.Instant;
import java.util.UUID;

/** A progress event of a task's event stream: what the work reported, for example an MCP tool's progress. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ProgressView(UUID taskId, String status, String message, Double progress, Double total, Instant at) {

    static ProgressView of(TaskEvent event) {
        return new ProgressView(event.taskId(), event.status(), event.message(), event.progress(), event.total(),
                Instant.now());
    }
}
