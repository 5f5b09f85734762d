package dev.keiko.worker;

import dev.keiko.domain.payload.PayloadProperties;
import dev.keiko.domain.payload.PayloadStore;
import dev.keiko.domain.task.event.TaskEventLog;
import dev.keiko.domain.task.event.TaskEventProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Deletes what is past its retention: offloaded payloads unused for {@code keiko.payloads.retention}, and the events
 * of tasks that finished longer than {@code keiko.tasks.event-retention} ago (the tasks stay). Harmless in every
 * worker at once.
 */
@Component
class RetentionCleanups {

    private static final Logger log = LoggerFactory.getLogger(RetentionCleanups.class);

    private final PayloadStore payloads;
    private final PayloadProperties payloadProperties;
    private final TaskEventLog events;
    private final TaskEventProperties eventProperties;

    RetentionCleanups(PayloadStore payloads, PayloadProperties payloadProperties, TaskEventLog events,
            TaskEventProperties eventProperties) {
        this.payloads = payloads;
        this.payloadProperties = payloadProperties;
        this.events = events;
        this.eventProperties = eventProperties;
    }

    @Scheduled(initialDelayString = "${keiko.payloads.cleanup-interval:1h}",
            fixedDelayString = "${keiko.payloads.cleanup-interval:1h}")
    void deleteExpiredPayloads() {
        delete("offloaded payloads unused for " + payloadProperties.retention(),
                () -> payloads.deleteUnusedFor(payloadProperties.retention()));
    }

    @Scheduled(initialDelayString = "${keiko.tasks.event-cleanup-interval:1h}",
            fixedDelayString = "${keiko.tasks.event-cleanup-interval:1h}")
    void deleteExpiredTaskEvents() {
        delete("events of tasks finished more than " + eventProperties.eventRetention() + " ago",
                () -> events.deleteOfTasksFinishedBefore(Instant.now().minus(eventProperties.eventRetention())));
    }

    private static void delete(String what, Supplier<Mono<Long>> deletion) {
        try {
            Long deleted = deletion.get().block(Duration.ofMinutes(5));
            if (deleted != null && deleted > 0) {
                log.info("Deleted {} {}", deleted, what);
            }
        } catch (RuntimeException e) {
            log.warn("Could not delete expired {}: {}", what, e.toString());
        }
    }
}
