package dev.keiko.domain.task.event;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long task events are kept, {@code keiko.tasks.*}.
 *
 * @param eventRetention how long after a task finished its events are kept (its stream can be read from the start
 *     until then; the task itself stays); at least 1h
 * @param eventCleanupInterval how often a worker deletes the events past their retention
 */
@ConfigurationProperties("keiko.tasks")
public record TaskEventProperties(
        @DefaultValue("30d") Duration eventRetention,
        @DefaultValue("1h") Duration eventCleanupInterval) {

    public TaskEventProperties {
        if (eventRetention.compareTo(Duration.ofHours(1)) < 0) {
            throw new IllegalArgumentException("keiko.tasks.event-retention must be at least 1h, not "
                    + eventRetention);
        }
        if (!eventCleanupInterval.isPositive()) {
            throw new IllegalArgumentException("keiko.tasks.event-cleanup-interval must be positive, not "
                    + eventCleanupInterval);
        }
    }
}
