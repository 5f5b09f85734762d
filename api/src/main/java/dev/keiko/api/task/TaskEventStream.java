package dev.keiko.api.task;

import dev.keiko.domain.task.Task;
import dev.keiko.domain.task.TaskEventListener;
import dev.keiko.domain.task.TaskStore;
import dev.keiko.domain.task.event.TaskEventLog;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;

/**
 * A task's events as Server-Sent Events, each with its sequence number as {@code id}: every event after the one the
 * client names, then the live ones, ending after the task's final status. Notices from PostgreSQL only wake this
 * process's one feed per followed task ({@link TaskEventFeed}); the events themselves are read from the log, so a
 * stream resumes without gap or repeat on any API process. Every 15 s a stream sends a keep-alive comment and its feed
 * looks for events again, in case a notice was lost.
 */
@Component
class TaskEventStream implements DisposableBean {

    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    private static final Logger log = LoggerFactory.getLogger(TaskEventStream.class);

    private final Map<UUID, TaskEventFeed> feeds = new ConcurrentHashMap<>();
    private final TaskEventLog events;
    private final TaskEventViews views;
    private final TaskStore tasks;
    private final Disposable listening;

    TaskEventStream(TaskEventListener listener, TaskEventLog events, TaskEventViews views, TaskStore tasks) {
        this.events = events;
        this.views = views;
        this.tasks = tasks;
        this.listening = Disposables.composite(
                listener.notices().subscribe(notice -> {
                    TaskEventFeed feed = feeds.get(notice.taskId());
                    if (feed != null) {
                        feed.noticed(notice.seq());
                    }
                }),
                Flux.interval(KEEP_ALIVE).onBackpressureDrop()
                        .subscribe(tick -> feeds.values().forEach(TaskEventFeed::read)));
    }

    /** Whether a stream of the task from {@code after} would send any event: the same text of abandoned attempts. */
    Mono<Boolean> hasEventsAfter(Task task, long after, boolean includeAbandoned) {
        return events.hasEventsAfter(task.id(), after, includeAbandoned);
    }

    Flux<ServerSentEvent<Object>> follow(Task task, long after, boolean includeAbandoned) {
        return Flux.create(sink -> subscribe(task, after, includeAbandoned, sink), FluxSink.OverflowStrategy.BUFFER);
    }

    private void subscribe(Task task, long after, boolean includeAbandoned, FluxSink<ServerSentEvent<Object>> sink) {
        TaskEventFeed[] created = new TaskEventFeed[1];
        FeedSubscriber[] joined = new FeedSubscriber[1];
        TaskEventFeed feed = feeds.compute(task.id(), (id, existing) -> {
            TaskEventFeed current = existing;
            if (current == null) {
                current = new TaskEventFeed(id, events, views);
                created[0] = current;
            }
            joined[0] = new FeedSubscriber(current, events, views, sink, after, includeAbandoned,
                    task.status().isTerminal());
            current.add(joined[0]);
            return current;
        });
        FeedSubscriber subscriber = joined[0];
        if (created[0] != null) {
            feed.start();
        }
        Disposable ticking = Flux.interval(KEEP_ALIVE).onBackpressureDrop()
                .concatMap(tick -> tasks.findById(task.id()).map(current -> current.status().isTerminal())
                        .onErrorResume(error -> {
                            log.warn("Could not look at task {}: {}", task.id(), error.toString());
                            return Mono.just(false);
                        }))
                .subscribe(subscriber::tick);
        sink.onRequest(requested -> subscriber.drain());
        sink.onDispose(() -> {
            ticking.dispose();
            feeds.computeIfPresent(task.id(), (id, current) -> current.remove(subscriber) ? null : current);
        });
    }

    /** Whether this process follows the task and its feed has started reading its events. */
    boolean feedStarted(UUID taskId) {
        TaskEventFeed feed = feeds.get(taskId);
        return feed != null && feed.started();
    }

    /** Whether this process follows the task now (some stream of it is open). */
    boolean follows(UUID taskId) {
        return feeds.containsKey(taskId);
    }

    @Override
    public void destroy() {
        listening.dispose();
    }
}
