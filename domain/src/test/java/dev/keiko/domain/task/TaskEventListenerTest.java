package dev.keiko.domain.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.domain.DomainTest;
import dev.keiko.domain.user.Role;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

class TaskEventListenerTest extends DomainTest {

    @Autowired
    TaskStore tasks;

    @Autowired
    TaskEvents events;

    @Autowired
    ConnectionFactory connections;

    @Autowired
    JsonMapper json;

    @Test
    void statusChangesAndProgressReachListeners() {
        var owner = newUser(Role.USER);
        Task task = tasks.insert(new NewTask(owner.id(), "tool", json.valueToTree(Map.of()), TaskPriority.NORMAL, 60,
                null, "h")).block().task();
        try (TaskEventListener listener = new TaskEventListener(connections, json)) {
            StepVerifier.create(listener.events().filter(event -> event.taskId().equals(task.id())).take(3))
                    .then(() -> sleep(500)) // the listener's LISTEN runs asynchronously
                    .then(() -> tasks.markRunning(task.id(), Instant.now()).block())
                    .then(() -> events.publish(new TaskEvent(task.id(), TaskEvent.PROGRESS, "running", "step 1",
                            1.0, 4.0)).block())
                    .then(() -> tasks.recordOutcome(task.id(), TaskStatus.COMPLETED, json.valueToTree(Map.of()),
                            Instant.now()).block())
                    .assertNext(event -> assertThat(event).extracting(TaskEvent::kind, TaskEvent::status)
                            .containsExactly(TaskEvent.STATUS, "running"))
                    .assertNext(event -> assertThat(event).extracting(TaskEvent::kind, TaskEvent::message,
                            TaskEvent::progress).containsExactly(TaskEvent.PROGRESS, "step 1", 1.0))
                    .assertNext(event -> assertThat(event.status()).isEqualTo("completed"))
                    .expectComplete()
                    .verify(Duration.ofSeconds(10));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
