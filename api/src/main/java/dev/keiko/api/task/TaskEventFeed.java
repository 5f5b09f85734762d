package dev.keiko.api.task;

import dev.keiko.domain.task.event.TaskEvent.AttemptAbandoned;
import dev.keiko.domain.task.event.TaskEventLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * One followed task's events in this API process: on each notice it reads the new rows once, keeps the last
 * {@link #WINDOW} of them, and wakes its subscribers, who take what they have not sent from the window or, when they
 * have fallen behind it, from the database. Reads are coalesced: one runs at a time, and notices that come while it
 * runs cost one more read at most. Waking a subscriber never waits for it.
 */
final class TaskEventFeed {

    static final int WINDOW = 256;
    static final int PAGE = 256;
    private static final Logger log = LoggerFactory.getLogger(TaskEventFeed.class);

    private final UUID taskId;
    private final TaskEventLog events;
    private final TaskEventViews views;
    private final Set<FeedSubscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean starting = new AtomicBoolean();
    private final AtomicInteger readRequests = new AtomicInteger();

    // Guarded by this: the window holds every event with floor < seq <= lastRead.
    private final ArrayList<StreamedEvent> window = new ArrayList<>();
    private boolean started;
    private long floor;
    private long lastRead;

    TaskEventFeed(UUID taskId, TaskEventLog events, TaskEventViews views) {
        this.taskId = taskId;
        this.events = events;
        this.views = views;
    }

    UUID taskId() {
        return taskId;
    }

    /** Starts following from the task's newest event, which the window starts after; the next read tries again. */
    void start() {
        if (!starting.compareAndSet(false, true)) {
            return;
        }
        events.lastSeq(taskId).defaultIfEmpty(0L).subscribe(last -> {
            synchronized (this) {
                floor = last;
                lastRead = last;
                started = true;
            }
            read();
        }, error -> {
            log.warn("Could not start following task {}: {}", taskId, error.toString());
            starting.set(false);
        });
    }

    void add(FeedSubscriber subscriber) {
        subscribers.add(subscriber);
    }

    /** Answers whether that was the last subscriber. */
    boolean remove(FeedSubscriber subscriber) {
        subscribers.remove(subscriber);
        return subscribers.isEmpty();
    }

    void noticed(long seq) {
        synchronized (this) {
            if (started && seq <= lastRead) {
                return;
            }
        }
        read();
    }

    /**
     * The window's events after {@code after}, at most {@code max}; empty when there are none yet; null when the
     * window no longer (or does not yet) reach back to {@code after}: read from the database then.
     */
    synchronized List<StreamedEvent> after(long after, int max) {
        if (!started || after < floor) {
            return null;
        }
        return window.stream().filter(event -> event.seq() > after).limit(max).toList();
    }

    synchronized boolean started() {
        return started;
    }

    /** Whether the window has moved on past {@code after}: a stream there has fallen behind it. */
    synchronized boolean passed(long after) {
        return started && after < floor;
    }

    /**
     * Reads the rows after the last one read, page by page. Requests are counted: only the one that finds no read
     * running starts one, and a read that ends reads again while requests came during it, so none is lost.
     */
    void read() {
        if (readRequests.getAndIncrement() == 0) {
            readPages();
        }
    }

    /** Runs for the requests counted so far, while they are more than 0. */
    private void readPages() {
        while (true) {
            int answering = readRequests.get();
            boolean ready;
            long after;
            synchronized (this) {
                ready = started;
                after = lastRead;
            }
            if (!ready) {
                start(); // which reads once it has started
                if (readRequests.addAndGet(-answering) == 0) {
                    return;
                }
                continue;
            }
            events.after(taskId, after, PAGE).collectList()
                    .flatMap(page -> views.render(taskId, page).map(rendered -> {
                        keep(rendered, page.isEmpty() ? after : page.getLast().seq());
                        return page.size() == PAGE;
                    }))
                    .onErrorResume(error -> {
                        log.warn("Could not read the events of task {}: {}", taskId, error.toString());
                        return Mono.just(false);
                    })
                    .defaultIfEmpty(false)
                    .subscribe(full -> {
                        try {
                            subscribers.forEach(FeedSubscriber::wake);
                        } finally {
                            // A full page keeps one request for the next page.
                            if (readRequests.addAndGet(full ? 1 - answering : -answering) != 0) {
                                readPages();
                            }
                        }
                    });
            return;
        }
    }

    /**
     * Adds the events to the window; an attempt's abandonment marks that attempt's text there abandoned, as the
     * database has it since, so a stream sends the same from the window as from the database.
     */
    private synchronized void keep(List<StreamedEvent> rendered, long readUpTo) {
        for (StreamedEvent event : rendered) {
            if (event.event() instanceof AttemptAbandoned abandoned) {
                window.replaceAll(kept -> views.after(kept, abandoned));
            }
            window.addLast(event);
        }
        int passed = window.size() - WINDOW;
        if (passed > 0) {
            floor = window.get(passed - 1).seq();
            window.subList(0, passed).clear();
        }
        lastRead = Math.max(lastRead, readUpTo);
    }
}
