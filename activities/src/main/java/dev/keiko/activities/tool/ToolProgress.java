package dev.keiko.activities.tool;

import dev.keiko.domain.task.TaskEvents;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The progress notifications of one tool call, appended to the task's events. Notifications arrive on
 * the client's I/O threads, which must not block, so they are queued and published from the
 * activity thread.
 */
final class ToolProgress {

    private static final Logger log = LoggerFactory.getLogger(ToolProgress.class);

    private final TaskEvents events;
    private final UUID taskId;
    private final String tool;
    // Only the latest counts: a server that floods notifications holds one, never a queue of them.
    private final AtomicReference<ProgressNotification> latest = new AtomicReference<>();

    ToolProgress(TaskEvents events, String taskId, String tool) {
        this.events = events;
        this.taskId = parse(taskId);
        this.tool = tool;
    }

    private static UUID parse(String taskId) {
        try {
            return taskId == null ? null : UUID.fromString(taskId);
        } catch (IllegalArgumentException e) {
            log.warn("Tool call for task '{}' publishes no progress: not a task id", taskId);
            return null;
        }
    }

    void add(ProgressNotification notification) {
        latest.set(notification);
    }

    /**
     * Publishes the latest notification that arrived since the last call (older ones are superseded),
     * so one heartbeat interval costs at most one bounded publication. A failed publication only costs
     * that event, never the call.
     */
    void publishPending() {
        ProgressNotification notification = latest.getAndSet(null);
        if (notification == null || taskId == null) {
            return;
        }
        String message = notification.message() != null ? notification.message() : "Tool " + tool + " is running";
        // Bounded (250 ms) and never throwing, so it runs between heartbeats well inside their 5 s timeout.
        events.announce(taskId, message, notification.progress(), notification.total());
    }
}
