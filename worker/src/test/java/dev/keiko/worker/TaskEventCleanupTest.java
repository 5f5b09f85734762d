package dev.keiko.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keiko.domain.task.NewTask;
import dev.keiko.domain.task.Task;
import dev.keiko.domain.task.TaskPriority;
import dev.keiko.domain.task.TaskStatus;
import dev.keiko.domain.task.TaskStore;
import dev.keiko.domain.task.event.TaskEventLog;
import dev.keiko.domain.task.event.TaskEventProperties;
import dev.keiko.domain.user.Role;
import dev.keiko.domain.user.UserProfile;
import dev.keiko.domain.user.UserStore;
import dev.keiko.embedded.EmbeddedServices;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/** A worker deletes the events of tasks finished longer than keiko.tasks.event-retention ago, and only those. */
class TaskEventCleanupTest {

    @Test
    void aWorkerDeletesTheEventsOfTasksFinishedBeforeTheRetention() {
        try (ConfigurableApplicationContext worker = start()) {
            TaskStore tasks = worker.getBean(TaskStore.class);
            TaskEventLog events = worker.getBean(TaskEventLog.class);
            JsonMapper json = worker.getBean(JsonMapper.class);
            UUID owner = worker.getBean(UserStore.class)
                    .insert("cleanup-" + UUID.randomUUID(), "{noop}x", Role.USER, UserProfile.EMPTY).block().id();
            Task old = finished(tasks, json, owner, Instant.now().minus(Duration.ofHours(3)));
            Task recent = finished(tasks, json, owner, Instant.now().minus(Duration.ofMinutes(30)));

            await().atMost(Duration.ofSeconds(20)).until(() -> events.after(old.id(), 0, 10).collectList().block()
                    .isEmpty());

            assertThat(events.after(recent.id(), 0, 10).collectList().block()).hasSize(2);
            assertThat(tasks.findById(old.id()).block().status()).isEqualTo(TaskStatus.COMPLETED);
        }
    }

    @Test
    void aRetentionUnderAnHourIsRefusedAtStart() {
        ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Settings.class);
        context.withPropertyValues("keiko.tasks.event-retention=30m").run(started ->
                assertThat(started).getFailure().rootCause().hasMessageContaining("keiko.tasks.event-retention"));
        context.withPropertyValues("keiko.tasks.event-cleanup-interval=0s").run(started ->
                assertThat(started).getFailure().rootCause().hasMessageContaining("event-cleanup-interval"));
        context.run(started -> assertThat(started.getBean(TaskEventProperties.class))
                .isEqualTo(new TaskEventProperties(Duration.ofDays(30), Duration.ofHours(1))));
    }

    @EnableConfigurationProperties(TaskEventProperties.class)
    static class Settings {
    }

    private static Task finished(TaskStore tasks, JsonMapper json, UUID owner, Instant at) {
        Task task = tasks.insert(new NewTask(owner, "tool", json.valueToTree(Map.of()), TaskPriority.NORMAL, 60, null,
                "h")).block().task();
        tasks.recordOutcome(task.id(), TaskStatus.COMPLETED, json.valueToTree(Map.of()), at).block();
        return task;
    }

    private static ConfigurableApplicationContext start() {
        Map<String, String> properties = new TreeMap<>(EmbeddedServices.shared().properties());
        properties.put("keiko.tasks.event-retention", "1h");
        properties.put("keiko.tasks.event-cleanup-interval", "500ms");
        List<String> args = new ArrayList<>();
        properties.forEach((key, value) -> args.add("--" + key + "=" + value));
        args.add("--server.port=0");
        return WorkerApplication.builder().run(args.toArray(String[]::new));
    }
}
