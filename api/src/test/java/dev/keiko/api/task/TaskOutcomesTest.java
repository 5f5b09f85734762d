package dev.keiko.api.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.domain.metrics.TaskMetrics;
import dev.keiko.domain.task.Task;
import dev.keiko.domain.task.TaskPriority;
import dev.keiko.domain.task.TaskStatus;
import dev.keiko.domain.task.TaskStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Waiting for a task to end polls the read model every 100 ms. On a loaded machine a read can take longer
 * than that: the wait must skip ticks, not fail with an interval overflow (which answered a cancel with 500).
 */
class TaskOutcomesTest {

    @Test
    void aReadSlowerThanThePollIntervalDelaysTheWaitInsteadOfFailingIt() {
        Task running = task(TaskStatus.RUNNING);
        AtomicInteger reads = new AtomicInteger();
        TaskStore slowStore = new TaskStore(null, JsonMapper.builder().build(), new TaskMetrics(new SimpleMeterRegistry())) {
            @Override
            public Mono<Task> findById(UUID id) {
                Task current = reads.incrementAndGet() < 3 ? running : task(TaskStatus.CANCELLED);
                return Mono.delay(Duration.ofMillis(350)).thenReturn(current);
            }
        };

        Task ended = new TaskOutcomes(slowStore, JsonMapper.builder().build())
                .awaitEnd(running, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));

        assertThat(ended.status()).isEqualTo(TaskStatus.CANCELLED);
        assertThat(reads).hasValue(3);
    }

    private static Task task(TaskStatus status) {
        UUID id = UUID.fromString("00000000-0000-0000-0000-000000000001");
        return new Task(id, UUID.randomUUID(), "tool", null, TaskPriority.NORMAL, 60, status, "task-" + id, null, null,
                null, Instant.EPOCH, null, null, null);
    }
}
