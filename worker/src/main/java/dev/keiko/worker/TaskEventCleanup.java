package dev.keiko.worker;

import dev.keiko.domain.task.event.TaskEventLog;
import dev.keiko.domain.task.event.TaskEventProperties;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes the events of tasks that finished longer than {@code keiko.tasks.event-retention} ago (the tasks stay);
 * harmless in every worker at once.
 */
@Component
class TaskEventCleanup {

    private static final Logger log = LoggerFactory.getLogger(TaskEventCleanup.class);

    private final TaskEventLog events;
    private final TaskEventProperties properties;

    TaskEventCleanup(TaskEventLog events, TaskEventProperties properties) {
        this.events = events;
        this.properties = properties;
    }

    @Scheduled(initialDelayString = "${keiko.tasks.event-cleanup-interval:1h}",
            fixedDelayString = "${keiko.tasks.event-cleanup-interval:1h}")
    void deleteExpired() {
        try {
            Long deleted = events.deleteOfTasksFinishedBefore(Instant.now().minus(properties.eventRetention()))
                    .block(Duration.ofMinutes(5));
            if (deleted != null && deleted > 0) {
                log.info("Deleted {} events of tasks finished more than {} ago", deleted, properties.eventRetention());
            }
        } catch (RuntimeException e) {
            log.warn("Could not delete expired task events: {}", e.toString());
        }
    }
}
