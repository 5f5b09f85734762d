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
 * @param pendingRecheckInterval how long the API trusts that a pending task's workflow runs once it saw it running:
 *     a backlog of pending tasks (waiting for a worker or an agent's slot) is checked this often, not at every
 *     repair pass; a pending task whose workflow was terminated from outside is failed within about this long
 * @param executionGrace how long past its own timeout a task's workflow may run before Temporal ends it
 *     (its execution timeout is the task's timeout plus this); time for the workflow to record the
 *     timeout itself. Between 30s and 1d.
 */
@ConfigurationProperties("keiko.tasks")
public record TaskProperties(
        @DefaultValue("5m") Duration defaultTimeout,
        @DefaultValue("24h") Duration maxTimeout,
        @DefaultValue("30s") Duration startRepairAfter,
        @DefaultValue("5m") Duration pendingRecheckInterval,
        @DefaultValue("5m") Duration executionGrace) {

    static final Duration MIN_EXECUTION_GRACE = Duration.ofSeconds(30);
    static final Duration MAX_EXECUTION_GRACE = Duration.ofDays(1);

    public TaskProperties {
        if (executionGrace.compareTo(MIN_EXECUTION_GRACE) < 0 || executionGrace.compareTo(MAX_EXECUTION_GRACE) > 0) {
            throw new IllegalArgumentException("keiko.tasks.execution-grace must be between 30s and 1d, not "
                    + executionGrace);
        }
    }
}
