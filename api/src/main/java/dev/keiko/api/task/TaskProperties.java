package dev.keiko.api.task;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Task submission settings.
 *
 * @param defaultTimeout the timeout of a task that names none
 * @param maxTimeout the longest timeout a task may ask for
 * @param startRepairAfter how old a pending task must be before the API checks that its workflow started
 */
@ConfigurationProperties("keiko.tasks")
public record TaskProperties(
        @DefaultValue("5m") Duration defaultTimeout,
        @DefaultValue("24h") Duration maxTimeout,
        @DefaultValue("30s") Duration startRepairAfter) {
}
