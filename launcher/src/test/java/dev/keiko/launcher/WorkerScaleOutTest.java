package dev.keiko.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.domain.user.Role;
import dev.keiko.launcher.DevSystem.TestUser;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/** Workers are stateless: one joins, another leaves, and tasks keep running on whoever is there. */
class WorkerScaleOutTest {

    @Test
    void aWorkerThatJoinsTakesOverFromOneThatLeaves() {
        DevSystem system = DevSystem.shared();
        TestUser user = system.user(Role.USER);
        WorkerProcess joined = DevSystem.startWorker();
        WorkerProcess leaving = system.worker();
        leaving.close();
        system.replaceWorker(joined);

        String id = (String) system.web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, user.bearer())
                .bodyValue(TaskFlowTest.echo("after the swap"))
                .exchange().expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
        TaskFlowTest.awaitStatus(system.web, user, id, "completed", Duration.ofSeconds(60));

        List<HistoryEvent> events = system.api.getBean(WorkflowClient.class).fetchHistory("task-" + id).getEvents();
        List<String> toolWorkers = events.stream()
                .filter(event -> event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)
                .map(event -> event.getActivityTaskStartedEventAttributes().getIdentity())
                .toList();
        assertThat(toolWorkers).isNotEmpty().allSatisfy(identity -> assertThat(identity).startsWith(joined.pid() + "@"));
    }
}
