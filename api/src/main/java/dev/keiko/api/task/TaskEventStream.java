package dev.keiko.api.task;

import dev.keiko.domain.task.Task;
import dev.keiko.domain.task.TaskEvent;
import dev.keiko.domain.task.TaskEventListener;
import dev.keiko.domain.task.TaskStore;
import dev.keiko.workflows.task.TaskProgress;
import java.time.Duration;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import reactor.core.publisher.ConnectableFlux;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A task's status changes and progress as Server-Sent Events: first the task as it is now, then each
 * change any process makes (through PostgreSQL notifications), closing after the task ends.
 */
@Component
class TaskEventStream {

    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private final TaskEventListener listener;
    private final TaskStore tasks;

    TaskEventStream(TaskEventListener listener, TaskStore tasks) {
        this.listener = listener;
        this.tasks = tasks;
    }

    Flux<ServerSentEvent<TaskView>> follow(Task task) {
        return Flux.defer(() -> {
            // Listen before reading the current state, so no change falls between the two.
            ConnectableFlux<TaskEvent> changes = listener.events()
                    .filter(event -> event.taskId().equals(task.id()))
                    .replay();
            var connection = changes.connect();
            Flux<ServerSentEvent<TaskView>> snapshot = tasks.findById(task.id()).map(TaskEventStream::status).flux();
            Flux<ServerSentEvent<TaskView>> updates = changes.concatMap(this::toEvent);
            return Flux.merge(snapshot.concatWith(updates), keepAlive())
                    .takeUntil(TaskEventStream::isFinal)
                    .doFinally(signal -> connection.dispose());
        });
    }

    private static boolean isFinal(ServerSentEvent<TaskView> event) {
        return "status".equals(event.event()) && event.data() != null && event.data().status().isTerminal();
    }

    private Mono<ServerSentEvent<TaskView>> toEvent(TaskEvent event) {
        return tasks.findById(event.taskId()).map(current -> TaskEvent.PROGRESS.equals(event.kind())
                ? ServerSentEvent.builder(TaskView.of(current, new TaskProgress(current.status().value(),
                                event.message(), System.currentTimeMillis())))
                        .event("progress").build()
                : status(current));
    }

    private static ServerSentEvent<TaskView> status(Task task) {
        return ServerSentEvent.builder(TaskView.of(task)).event("status").build();
    }

    private static Flux<ServerSentEvent<TaskView>> keepAlive() {
        return Flux.interval(KEEP_ALIVE).map(tick -> ServerSentEvent.<TaskView>builder().comment("keep-alive").build());
    }
}
