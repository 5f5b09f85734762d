package dev.keiko.domain.metrics;

import dev.keiko.domain.task.TaskStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Meters of the task read model's transitions, recorded where a transition is written and only when it was
 * (a repeated or late update changes no row and counts nothing): {@code keiko.tasks.submitted},
 * {@code keiko.tasks.completed}, {@code keiko.tasks.failed} (with the error type), {@code keiko.tasks.cancelled},
 * {@code keiko.tasks.start.delay} (submission to start) and {@code keiko.tasks.duration} (start to end), all
 * tagged with the task's type and its agent ({@link MeterTags#agent(UUID) the agent's id, or none}).
 */
@Component
public class TaskMetrics {

    private final MeterRegistry registry;

    @Autowired
    public TaskMetrics(ObjectProvider<MeterRegistry> registry) {
        this(registry.getIfAvailable(() -> Metrics.globalRegistry));
    }

    public TaskMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A task stored; {@code agentId} is the agent it was routed to, null for none. */
    public void submitted(String type, UUID agentId) {
        Counter.builder("keiko.tasks.submitted").description("Tasks stored and handed to Temporal")
                .tag("type", type).tag("agent", MeterTags.agent(agentId)).register(registry).increment();
    }

    public void started(String type, UUID agentId, Instant submittedAt, Instant startedAt) {
        Timer.builder("keiko.tasks.start.delay").description("Time from a task's submission to its start")
                .tag("type", type).tag("agent", MeterTags.agent(agentId)).register(registry)
                .record(nonNegative(submittedAt, startedAt));
    }

    public void ended(String type, UUID agentId, TaskStatus status, String errorType, Instant startedAt,
            Instant finishedAt) {
        String agent = MeterTags.agent(agentId);
        Counter.Builder outcome = Counter.builder("keiko.tasks." + status.value()).tag("type", type)
                .tag("agent", agent);
        if (status == TaskStatus.FAILED) {
            outcome.tag("error.type", MeterTags.failureType(errorType));
        }
        outcome.description("Tasks that ended " + status.value()).register(registry).increment();
        Timer.builder("keiko.tasks.duration").description("Time from a task's start to its end")
                .tag("type", type).tag("agent", agent).tag("status", status.value()).register(registry)
                .record(nonNegative(startedAt, finishedAt));
    }

    private static Duration nonNegative(Instant from, Instant to) {
        Duration between = Duration.between(from, to);
        return between.isNegative() ? Duration.ZERO : between;
    }
}
