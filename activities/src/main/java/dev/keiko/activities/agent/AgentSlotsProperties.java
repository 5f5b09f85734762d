package dev.keiko.activities.agent;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How agents' slot workflows run, {@code keiko.agents.*}.
 *
 * @param slotCheckInterval how often, while any of an agent's slots is held, its slot workflow asks Temporal
 *     whether the holders still run, freeing the slots of tasks that ended without giving them back (terminated
 *     from outside, or ended by their execution timeout); whole seconds, at least 1 s. A slot workflow keeps the
 *     interval it was started with until it ends.
 */
@Validated
@ConfigurationProperties("keiko.agents")
public record AgentSlotsProperties(@DefaultValue("10s") @NotNull Duration slotCheckInterval) {

    public AgentSlotsProperties {
        if (slotCheckInterval != null && slotCheckInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("keiko.agents.slot-check-interval must be at least 1s, not "
                    + slotCheckInterval);
        }
    }

    long slotCheckIntervalSeconds() {
        return slotCheckInterval.toSeconds();
    }
}
