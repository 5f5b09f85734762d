package dev.keiko.domain.task;

import dev.keiko.domain.page.KeysetCursor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.domain.DomainTest;
import dev.keiko.domain.agent.Agent;
import dev.keiko.domain.agent.AgentDefinition;
import dev.keiko.domain.agent.AgentStore;
import dev.keiko.domain.agent.AgentType;
import dev.keiko.domain.metrics.TaskMetrics;
import dev.keiko.domain.user.Role;
import dev.keiko.domain.user.User;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

class TaskStoreTest extends DomainTest {

    @Autowired
    TaskStore tasks;

    @Autowired
    JsonMapper json;

    @Autowired
    DatabaseClient db;

    @Autowired
    AgentStore agents;

    User owner;

    @BeforeEach
    void owner() {
        owner = newUser(Role.USER);
    }

    @Test
    void insertsAPendingTaskWithAWorkflowIdFromItsId() {
        Task task = tasks.insert(newTask(null)).block().task();

        assertThat(task.status()).isEqualTo(TaskStatus.PENDING);
        assertThat(task.workflowId()).isEqualTo("task-" + task.id());
        assertThat(task.parameters().get("server").asString()).isEqualTo("everything");
        tasks.findById(task.id()).as(StepVerifier::create).expectNext(task).verifyComplete();
    }

    @Test
    void statusOnlyMovesForward() {
        Task task = tasks.insert(newTask(null)).block().task();
        Instant now = Instant.now();

        assertThat(tasks.markRunning(task.id(), now).block()).isTrue();
        assertThat(tasks.markRunning(task.id(), now).block()).isFalse();
        assertThat(tasks.recordOutcome(task.id(), TaskStatus.COMPLETED, json.valueToTree(Map.of("success", true)),
                now).block()).isTrue();
        assertThat(tasks.recordOutcome(task.id(), TaskStatus.FAILED, json.valueToTree(Map.of("success", false)),
                now).block()).isFalse();
        assertThat(tasks.markRunning(task.id(), now).block()).isFalse();

        Task ended = tasks.findById(task.id()).block();
        assertThat(ended.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(ended.result().get("success").asBoolean()).isTrue();
        assertThat(ended.startedAt()).isNotNull();
        assertThat(ended.finishedAt()).isNotNull();
    }

    @Test
    void anOutcomeWithNulCharactersIsStored() {
        Task task = tasks.insert(newTask(null)).block().task();

        assertThat(tasks.recordOutcome(task.id(), TaskStatus.FAILED,
                json.valueToTree(Map.of("errorMessage", "binary\u0000output")), Instant.now()).block()).isTrue();

        assertThat(tasks.findById(task.id()).block().result().get("errorMessage").asString())
                .isEqualTo("binary\uFFFDoutput");
    }

    @Test
    void fiftyConcurrentInsertsWithOneIdempotencyKeyMakeOneTask() {
        String key = "key-" + UUID.randomUUID();
        List<TaskInsert> inserts = Flux.range(0, 50)
                .flatMap(i -> tasks.insert(newTask(key)).subscribeOn(Schedulers.parallel()), 50)
                .collectList().block();

        assertThat(inserts).hasSize(50);
        assertThat(inserts.stream().filter(TaskInsert::created)).hasSize(1);
        assertThat(inserts.stream().map(insert -> insert.task().id()).distinct()).hasSize(1);
    }

    @Test
    void theSameKeyFromAnotherUserIsAnotherTask() {
        String key = "key-" + UUID.randomUUID();
        Task mine = tasks.insert(newTask(key)).block().task();
        User other = newUser(Role.USER);
        NewTask theirs = new NewTask(other.id(), "tool", json.valueToTree(Map.of()), TaskPriority.NORMAL, 60, key, "h");

        assertThat(tasks.insert(theirs).block().task().id()).isNotEqualTo(mine.id());
    }

    @Test
    void pagesNewestFirstWithACursor() {
        List<UUID> inserted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            inserted.add(tasks.insert(newTask(null)).block().task().id());
        }
        List<UUID> newestFirst = inserted.reversed();

        TaskPage first = tasks.find(new TaskQuery(owner.id(), null, null, null, 2)).block();
        TaskPage second = tasks.find(new TaskQuery(owner.id(), null, null, KeysetCursor.decode(first.nextCursor()), 2))
                .block();
        TaskPage third = tasks.find(new TaskQuery(owner.id(), null, null, KeysetCursor.decode(second.nextCursor()), 2))
                .block();

        assertThat(first.tasks()).extracting(Task::id).containsExactlyElementsOf(newestFirst.subList(0, 2));
        assertThat(second.tasks()).extracting(Task::id).containsExactlyElementsOf(newestFirst.subList(2, 4));
        assertThat(third.tasks()).extracting(Task::id).containsExactly(newestFirst.get(4));
        assertThat(third.nextCursor()).isNull();
    }

    @Test
    void filtersByStatusAndType() {
        Task running = tasks.insert(newTask(null)).block().task();
        tasks.insert(newTask(null)).block();
        tasks.markRunning(running.id(), Instant.now()).block();

        TaskPage page = tasks.find(new TaskQuery(owner.id(), TaskStatus.RUNNING, "tool", null, 10)).block();
        TaskPage otherType = tasks.find(new TaskQuery(owner.id(), null, "completion", null, 10)).block();

        assertThat(page.tasks()).extracting(Task::id).containsExactly(running.id());
        assertThat(otherType.tasks()).isEmpty();
    }

    @Test
    void findsPendingTasksOlderThanAnInstantAndRunningTasksPastTheirTimeout() {
        Task pending = tasks.insert(newTask(null)).block().task();
        Task overdue = tasks.insert(newTask(null)).block().task();
        Task running = tasks.insert(newTask(null)).block().task();
        tasks.markRunning(overdue.id(), Instant.now().minus(Duration.ofMinutes(5))).block();
        tasks.markRunning(running.id(), Instant.now()).block();

        List<UUID> later = tasks.findUnfinishedSuspects(Instant.now().plusSeconds(1), Duration.ofSeconds(60), 10_000)
                .map(Task::id).collectList().block();
        List<UUID> earlier = tasks.findUnfinishedSuspects(pending.createdAt(), Duration.ofSeconds(60), 10_000)
                .map(Task::id).collectList().block();

        assertThat(later).contains(pending.id(), overdue.id()).doesNotContain(running.id());
        assertThat(earlier).contains(overdue.id()).doesNotContain(pending.id(), running.id());
    }

    @Test
    void pagesThroughSuspectsOldestFirstWithACursor() {
        List<UUID> mine = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            mine.add(tasks.insert(newTask(null)).block().task().id());
        }
        Instant before = Instant.now().plusSeconds(1);

        List<UUID> seen = new ArrayList<>();
        List<Task> page = tasks.findUnfinishedSuspects(before, Duration.ofSeconds(60), 2).collectList().block();
        int pages = 0;
        while (!page.isEmpty()) {
            assertThat(page).hasSizeLessThanOrEqualTo(2);
            page.forEach(task -> seen.add(task.id()));
            pages++;
            page = tasks.findUnfinishedSuspects(before, Duration.ofSeconds(60), page.getLast().position(), 2)
                    .collectList().block();
        }

        assertThat(pages).isGreaterThanOrEqualTo(3);
        assertThat(seen).doesNotHaveDuplicates().containsAll(mine);
    }

    @Test
    void countsEachTransitionUnderTheTasksAgentOrNone() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TaskStore counted = new TaskStore(db, json, new TaskMetrics(registry));
        Agent agent = agents.insert(new AgentDefinition("metered-" + UUID.randomUUID().toString().substring(0, 8),
                AgentType.TOOL, List.of("echo"), 300, 1, null, List.of("everything/echo"), null, null, null, null,
                null, null), owner.id()).block();
        NewTask plain = newTask(null);
        NewTask routed = new NewTask(plain.ownerId(), plain.type(), plain.parameters(), plain.priority(),
                plain.timeoutSeconds(), null, "hash", new RoutedAgent(agent.id(), agent.definition().name()));

        for (NewTask task : List.of(plain, routed)) {
            UUID id = counted.insert(task).block().task().id();
            counted.markRunning(id, Instant.now()).block();
            counted.recordOutcome(id, TaskStatus.FAILED, json.valueToTree(Map.of("errorType", "TOOL_ERROR")),
                    Instant.now()).block();
        }

        for (String tag : List.of("none", agent.id().toString())) {
            assertThat(registry.get("keiko.tasks.submitted").tags("type", "tool", "agent", tag).counter().count())
                    .isEqualTo(1);
            assertThat(registry.get("keiko.tasks.start.delay").tags("type", "tool", "agent", tag).timer().count())
                    .isEqualTo(1);
            assertThat(registry.get("keiko.tasks.failed").tags("type", "tool", "agent", tag, "error.type", "TOOL_ERROR")
                    .counter().count()).isEqualTo(1);
            assertThat(registry.get("keiko.tasks.duration").tags("type", "tool", "agent", tag, "status", "failed")
                    .timer().count()).isEqualTo(1);
        }
        assertThat(registry.getMeters()).allSatisfy(meter -> assertThat(meter.getId().getTag("agent")).isNotNull());
    }

    private NewTask newTask(String idempotencyKey) {
        return new NewTask(owner.id(), "tool",
                json.valueToTree(Map.of("server", "everything", "tool", "echo")), TaskPriority.HIGH, 60,
                idempotencyKey, "hash");
    }
}
