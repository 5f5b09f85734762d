package dev.keiko.api.task;

import dev.keiko.domain.task.Task;
import dev.keiko.domain.task.TaskStatus;
import dev.keiko.domain.task.TaskStore;
import dev.keiko.domain.task.event.TaskEvent;
import dev.keiko.domain.task.event.TaskEvent.AttemptAbandoned;
import dev.keiko.domain.task.event.TaskEvent.Progressed;
import dev.keiko.domain.task.event.TaskEvent.StatusChanged;
import dev.keiko.domain.task.event.TaskEvent.TextWritten;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a page of a task's events into Server-Sent Events, each with its sequence number as {@code id}. A
 * {@code status} event shows the task as it was when it entered that status, read once per page. The data is written
 * as JSON text here, once, rather than once for each stream that sends it.
 */
@Component
class TaskEventViews {

    private final TaskStore tasks;
    private final JsonMapper json;

    TaskEventViews(TaskStore tasks, JsonMapper json) {
        this.tasks = tasks;
        this.json = json;
    }

    Mono<List<StreamedEvent>> render(UUID taskId, List<TaskEvent> events) {
        if (events.isEmpty()) {
            return Mono.just(List.of());
        }
        Mono<Optional<Task>> task = events.stream().anyMatch(StatusChanged.class::isInstance)
                ? tasks.findById(taskId).map(Optional::of).defaultIfEmpty(Optional.empty())
                : Mono.just(Optional.empty());
        return task.map(current -> events.stream().flatMap(event -> render(event, current).stream()).toList());
    }

    private Optional<StreamedEvent> render(TaskEvent event, Optional<Task> task) {
        String id = Long.toString(event.seq());
        return switch (event) {
            case StatusChanged status -> task.map(current -> {
                TaskStatus entered = TaskStatus.of(status.status());
                TaskView view = current.status() == entered ? TaskView.of(current) : TaskView.of(current).asOf(entered);
                return new StreamedEvent(event, sse(id, "status", view), entered.isTerminal());
            });
            case Progressed progress -> Optional.of(new StreamedEvent(event,
                    sse(id, "progress", ProgressView.of(progress)), false));
            case TextWritten text -> Optional.of(new StreamedEvent(event, sse(id, "text", TextView.of(text)), false));
            case AttemptAbandoned abandoned -> Optional.of(new StreamedEvent(event,
                    sse(id, "attempt-abandoned", AttemptAbandonedView.of(abandoned)), false));
        };
    }

    /**
     * The event as it is once {@code abandoned} was appended: that attempt's text marked abandoned, as a read from the
     * database after it gives it; any other event as it is.
     */
    StreamedEvent after(StreamedEvent rendered, AttemptAbandoned abandoned) {
        if (rendered.event() instanceof TextWritten text && !text.abandoned() && text.call().equals(abandoned.call())) {
            TextWritten marked = new TextWritten(text.taskId(), text.seq(), text.at(), text.call(), text.step(),
                    text.offset(), text.text(), true);
            return new StreamedEvent(marked, sse(Long.toString(marked.seq()), "text", TextView.of(marked)), false);
        }
        return rendered;
    }

    private ServerSentEvent<Object> sse(String id, String name, Object data) {
        return ServerSentEvent.<Object>builder(json.writeValueAsString(data)).id(id).event(name).build();
    }
}
