package dev.keiko.domain.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.domain.DomainTest;
import dev.keiko.domain.task.event.TaskEventLog;
import dev.keiko.domain.task.event.TaskEventNotice;
import dev.keiko.domain.user.Role;
import io.r2dbc.postgresql.api.Notification;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

class TaskEventListenerTest extends DomainTest {

    @Autowired
    TaskStore tasks;

    @Autowired
    TaskEvents events;

    @Autowired
    TaskEventLog log;

    @Autowired
    ConnectionFactory connections;

    @Autowired
    DatabaseClient db;

    @Autowired
    JsonMapper json;

    @Test
    void statusChangesAndProgressReachListenersAsNotices() {
        Task task = newTask();
        try (TaskEventListener listener = new TaskEventListener(connections, json)) {
            StepVerifier.create(listener.notices().filter(notice -> notice.taskId().equals(task.id())).take(3))
                    .then(() -> sleep(500)) // the listener's LISTEN runs asynchronously
                    .then(() -> tasks.markRunning(task.id(), Instant.now()).block())
                    .then(() -> assertThat(events.announce(task.id().toString(), "step 1")).isTrue())
                    .then(() -> tasks.recordOutcome(task.id(), TaskStatus.COMPLETED, json.valueToTree(Map.of()),
                            Instant.now()).block())
                    // seq 1 is the task's pending status, appended when it was inserted.
                    .expectNext(new TaskEventNotice(task.id(), 2), new TaskEventNotice(task.id(), 3),
                            new TaskEventNotice(task.id(), 4))
                    .expectComplete()
                    .verify(Duration.ofSeconds(10));
        }
    }

    @Test
    void aNotificationCarriesNothingButTheTaskIdAndTheNumber() {
        Task task = newTask();
        StepVerifier.create(rawNotifications().filter(payload -> payload.contains(task.id().toString())).take(1))
                .then(() -> sleep(500))
                .then(() -> log.appendProgress(task.id(), "secret step", 1.0, 2.0).block())
                .assertNext(payload -> {
                    assertThat(json.readTree(payload).propertyNames()).containsExactlyInAnyOrder("taskId", "seq");
                    assertThat(json.readTree(payload).get("seq").asLong()).isEqualTo(2);
                    assertThat(payload).doesNotContain("secret");
                })
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void whatIsNoNoticeIsIgnoredAndTheListenerGoesOn() {
        Task task = newTask();
        try (TaskEventListener listener = new TaskEventListener(connections, json)) {
            StepVerifier.create(listener.notices().filter(notice -> notice.taskId().equals(task.id())).take(1))
                    .then(() -> sleep(500))
                    .then(() -> db.sql("SELECT pg_notify('task_events', 'not json')").then().block())
                    .then(() -> log.appendProgress(task.id(), "step", null, null).block())
                    .expectNext(new TaskEventNotice(task.id(), 2))
                    .expectComplete()
                    .verify(Duration.ofSeconds(10));
        }
    }

    /** What PostgreSQL delivers on the channel, read on a connection of its own. */
    private Flux<String> rawNotifications() {
        return Flux.usingWhen(Mono.from(connections.create()), connection -> {
            PostgresqlConnection postgres = unwrap(connection);
            return postgres.createStatement("LISTEN " + TaskEvents.CHANNEL).execute()
                    .flatMap(result -> result.getRowsUpdated())
                    .thenMany(postgres.getNotifications())
                    .mapNotNull(Notification::getParameter);
        }, Connection::close);
    }

    private static PostgresqlConnection unwrap(Connection connection) {
        Object current = connection;
        while (!(current instanceof PostgresqlConnection) && current instanceof Wrapped<?> wrapped) {
            current = wrapped.unwrap();
        }
        return (PostgresqlConnection) current;
    }

    private Task newTask() {
        return tasks.insert(new NewTask(newUser(Role.USER).id(), "tool", json.valueToTree(Map.of()),
                TaskPriority.NORMAL, 60, null, "h")).block().task();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
