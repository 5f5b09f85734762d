package dev.keiko.api.task;

import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits on task event streams.
 *
 * @param maxStreamsPerUser how many event streams one user may have open in one API process
 * @param streamUserCheckInterval how often open streams' users are checked; a stream whose user was
 *     deactivated, deleted or given another role ends within about this long
 */
@Validated
@ConfigurationProperties("keiko.api")
public record EventStreamProperties(
        @DefaultValue("5") @Positive int maxStreamsPerUser,
        @DefaultValue("5s") Duration streamUserCheckInterval) {

    public EventStreamProperties {
        if (streamUserCheckInterval.isNegative() || streamUserCheckInterval.isZero()) {
            throw new IllegalArgumentException("keiko.api.stream-user-check-interval must be positive, not "
                    + streamUserCheckInterval);
        }
    }
}
