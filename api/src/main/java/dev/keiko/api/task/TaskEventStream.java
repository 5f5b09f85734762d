package dev.keiko.api.task;

import dev.keiko.domain.task.Task;
import dev.keiko.domain.task.TaskEvent;
import dev.keiko.domain.task.TaskEventListener;
import dev.keiko.domain.task.TaskStatus;
import dev.keiko.domain.task.TaskStore;
import java.time.Duration;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * A task's status changes and progress as Server-Sent Events: first the task as it is now, then each
 * change any process makes (through PostgreSQL notifications), closing after the task ends.
 */
@Component
class TaskEventStream {

    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    private static final int BUFFER = 256;

    private final TaskEventListener listener;
    private final TaskStore tasks;

    TaskEventStream(TaskEventListener listener, TaskStore tasks) {
        this.listener = listener;
        this.tasks = tasks;
    }

    Flux<ServerSentEvent<Object>> follow(Task task) {
        return Flux.defer(() -> {
            // Listen before reading the current state, so no change falls between the two. Each stream has a
            // bounded buffer of its own: a client that stops reading loses its own events, no one else's.
            Sinks.Many<TaskEvent> buffer = Sinks.many().unicast().onBackpressureBuffer(Queues.<TaskEvent>get(BUFFER).get());
            Disposable listening = listener.events()
                    .filter(event -> event.taskId().equals(task.id()))
                    .subscribe(buffer::tryEmitNext);
            Flux<ServerSentEvent<Object>> snapshot = tasks.findById(task.id()).map(TaskEventStream::status).flux();
            Flux<ServerSentEvent<Object>> updates = buffer.asFlux().concatMap(this::toEvent);
            return Flux.merge(snapshot.concatWith(updates), keepAlive(task))
                    .takeUntil(TaskEventStream::isFinal)
                    .doFinally(signal -> listening.dispose());
        });
    }

    private static boolean isFinal(ServerSentEvent<Object> event) {
        return "status".equals(event.event()) && event.data() instanceof TaskView task && task.status().isTerminal();
    }

    private Mono<ServerSentEvent<Object>> toEvent(TaskEvent event) {
        if (TaskEvent.PROGRESS.equals(event.kind())) {
            return Mono.just(ServerSentEvent.<Object>builder(ProgressView.of(event)).event("progress").build());
        }
        // The row may have moved on since the notification: report the status the event announced.
        TaskStatus announced = TaskStatus.of(event.status());
        return tasks.findById(event.taskId())
                .map(current -> current.status() == announced ? status(current)
                        : ServerSentEvent.<Object>builder(TaskView.of(current).asOf(announced)).event("status").build());
    }

    private static ServerSentEvent<Object> status(Task task) {
        return ServerSentEvent.<Object>builder(TaskView.of(task)).event("status").build();
    }

    /**
     * A comment now and then, and a fresh look at the row in case a notification was lost; ticks that come
     * while a slow client or a slow read holds the last one back are dropped rather than failing the stream.
     */
    private Flux<ServerSentEvent<Object>> keepAlive(Task task) {
        return Flux.interval(KEEP_ALIVE)
                .onBackpressureDrop()
                .concatMap(tick -> tasks.findById(task.id()))
                .map(current -> current.status().isTerminal() ? status(current)
                        : ServerSentEvent.<Object>builder().comment("keep-alive").build());
    }
}
