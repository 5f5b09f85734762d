package dev.keiko.api.task;

import dev.keiko.domain.task.event.TaskEventLog;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.FluxSink;

/**
 * One client's place in a task's feed: it sends, as far as the client asks for them, the events after the last one
 * it sent, from the feed's window while it can and from the database (a page at a time, one read in flight at most)
 * when it has fallen behind the window, saying {@code behind} once when a live stream falls behind. Every wake-up,
 * request and tick runs the same serialized drain, so wake-ups coalesce and a client that stops reading holds
 * nothing but its own place.
 */
final class FeedSubscriber {

    private static final Logger log = LoggerFactory.getLogger(FeedSubscriber.class);
    private static final ServerSentEvent<Object> KEEP_ALIVE = ServerSentEvent.builder().comment("keep-alive").build();

    private final TaskEventFeed feed;
    private final TaskEventLog events;
    private final TaskEventViews views;
    private final FluxSink<ServerSentEvent<Object>> sink;
    private final boolean includeAbandoned;
    private final AtomicInteger work = new AtomicInteger();

    // Touched only inside the drain, or written before a drain that reads them. Live: it has taken events from the
    // feed's window (it kept up with the feed), and has not fallen behind since. One that caught up from the
    // database before the feed started is not behind the feed, only before its window.
    private long lastSent;
    private boolean live;
    private boolean caughtUpWithDatabase;
    private boolean done;
    private volatile boolean woken;
    private volatile boolean reading;
    private volatile Page page;
    private volatile boolean keepAliveDue;
    private volatile boolean finishing;

    /** A page read from the database; {@code endsStream} when the task had ended before and nothing is left. */
    private record Page(List<StreamedEvent> events, long readUpTo, boolean full, boolean endsStream) {}

    FeedSubscriber(TaskEventFeed feed, TaskEventLog events, TaskEventViews views,
            FluxSink<ServerSentEvent<Object>> sink, long after, boolean includeAbandoned, boolean taskEnded) {
        this.feed = feed;
        this.events = events;
        this.views = views;
        this.sink = sink;
        this.lastSent = after;
        this.includeAbandoned = includeAbandoned;
        this.finishing = taskEnded;
    }

    /** The feed has read new events, or looked for them. */
    void wake() {
        woken = true;
        drain();
    }

    /** Time for a keep-alive comment; {@code taskEnded} once the task has ended, to end the stream once caught up. */
    void tick(boolean taskEnded) {
        keepAliveDue = true;
        if (taskEnded) {
            finishing = true;
        }
        wake();
    }

    void drain() {
        if (work.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            try {
                step();
            } catch (RuntimeException e) {
                done = true;
                sink.error(e);
            }
            missed = work.addAndGet(-missed);
        } while (missed != 0);
    }

    private void step() {
        while (!done && sink.requestedFromDownstream() > 0) {
            if (keepAliveDue) {
                keepAliveDue = false;
                sink.next(KEEP_ALIVE);
                continue;
            }
            Page read = page;
            if (read != null) {
                page = null;
                caughtUpWithDatabase = !read.full();
                send(read.events(), read.readUpTo());
                if (!done && read.endsStream()) {
                    complete();
                }
                continue;
            }
            if (reading) {
                return;
            }
            int max = (int) Math.min(sink.requestedFromDownstream(), TaskEventFeed.PAGE);
            List<StreamedEvent> fromWindow = feed.after(lastSent, max);
            if (fromWindow == null) {
                if (live && feed.passed(lastSent)) {
                    live = false;
                    sink.next(ServerSentEvent.<Object>builder(new BehindView(lastSent)).event("behind").build());
                    continue;
                }
                if (!caughtUpWithDatabase || woken || finishing) {
                    readFromDatabase(max);
                }
                return;
            }
            live = true;
            if (fromWindow.isEmpty()) {
                // Caught up with the feed; an ended task's stream ends once the database confirms nothing is left.
                if (finishing) {
                    readFromDatabase(max);
                }
                return;
            }
            caughtUpWithDatabase = false;
            send(fromWindow, fromWindow.getLast().seq());
        }
    }

    private void complete() {
        done = true;
        sink.complete();
    }

    private void readFromDatabase(int max) {
        woken = false;
        reading = true;
        long after = lastSent;
        boolean ended = finishing;
        events.after(feed.taskId(), after, max).collectList()
                .flatMap(rows -> views.render(feed.taskId(), rows).map(rendered -> new Page(rendered,
                        rows.isEmpty() ? after : rows.getLast().seq(), rows.size() == max, ended && rows.size() < max)))
                .subscribe(read -> {
                    page = read;
                    reading = false;
                    drain();
                }, error -> {
                    log.warn("Could not read the events of task {}: {}", feed.taskId(), error.toString());
                    reading = false;
                });
    }

    private void send(List<StreamedEvent> batch, long readUpTo) {
        for (StreamedEvent event : batch) {
            if (event.sentTo(includeAbandoned)) {
                sink.next(event.sse());
            }
            lastSent = event.seq();
            if (event.last()) {
                complete();
                return;
            }
        }
        lastSent = Math.max(lastSent, readUpTo);
    }
}
