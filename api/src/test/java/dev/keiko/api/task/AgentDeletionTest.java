package dev.keiko.api.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keiko.api.auth.ProblemBody;
import dev.keiko.domain.agent.Agent;
import dev.keiko.domain.task.Task;
import dev.keiko.domain.task.TaskStatus;
import dev.keiko.domain.user.Role;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

/**
 * An agent is not deleted while any of its tasks is pending, running or awaiting approval, and a delete and
 * a submission racing for the same agent end one way or the other, never with a task on a deleted agent.
 * The races are staged with a second connection holding the lock the other side of the race takes.
 */
class AgentDeletionTest extends RoutingTestSupport {

    @Value("${spring.flyway.url}")
    String jdbcUrl;

    @Value("${spring.flyway.user}")
    String jdbcUser;

    @Value("${spring.flyway.password}")
    String jdbcPassword;

    @Test
    void anAgentWithUnfinishedTasksIsNotDeleted() {
        TestUser user = createUser(Role.USER);
        TestUser operator = createUser(Role.OPERATOR);
        Agent agent = toolAgent(List.of(), 1);
        Task pending = routedTask(user, agent);
        String path = AGENTS + "/" + agent.id();

        assertThat(ProblemBody.expect(call(operator, "DELETE", path, null), 409).detail())
                .contains("1 tasks pending, running or awaiting approval");
        tasks.markRunning(pending.id(), Instant.now()).block();
        ProblemBody.expect(call(operator, "DELETE", path, null), 409);
        assertThat(agents.find(agent.id()).blockOptional()).isPresent();

        tasks.recordOutcome(pending.id(), TaskStatus.COMPLETED, json.valueToTree(Map.of("success", true)),
                Instant.now()).block();
        call(operator, "DELETE", path, null).expectStatus().isNoContent();
        assertThat(agents.find(agent.id()).blockOptional()).isEmpty();
        // The finished task outlives its agent, and still names it.
        assertThat(tasks.findById(pending.id()).block().agent().name()).isEqualTo(agent.definition().name());
    }

    @Test
    void aSubmissionThatLosesTheRaceToADeleteStoresNothing() throws Exception {
        TestUser user = createUser(Role.USER);
        Agent agent = toolAgent(List.of(), 1);
        try (Connection deleting = DriverManager.getConnection(jdbcUrl, jdbcUser, jdbcPassword)) {
            deleting.setAutoCommit(false);
            execute(deleting, "SELECT id FROM agents WHERE id = ? FOR UPDATE", agent.id());

            CompletableFuture<ProblemBody> submission = CompletableFuture.supplyAsync(() -> ProblemBody.expect(
                    call(user, "POST", TASKS, body("agentId", agent.id().toString(), "parameters", getSum())), 422));
            awaitLockWait("%FOR SHARE%");
            execute(deleting, "DELETE FROM agents WHERE id = ?", agent.id());
            deleting.commit();

            assertThat(submission.get(20, TimeUnit.SECONDS).detail())
                    .isEqualTo("agent '" + agent.definition().name() + "' no longer exists");
        }
        assertThat(storedTasks(user)).isZero();
    }

    @Test
    void aDeleteThatLosesTheRaceToASubmissionIsRefused() throws Exception {
        TestUser user = createUser(Role.USER);
        TestUser operator = createUser(Role.OPERATOR);
        Agent agent = toolAgent(List.of(), 1);
        UUID task = UUID.randomUUID();
        try (Connection submitting = DriverManager.getConnection(jdbcUrl, jdbcUser, jdbcPassword)) {
            submitting.setAutoCommit(false);
            execute(submitting, "SELECT id FROM agents WHERE id = ? FOR SHARE", agent.id());
            try (PreparedStatement insert = submitting.prepareStatement("INSERT INTO tasks (id, owner_id, type,"
                    + " parameters, priority, timeout_seconds, status, workflow_id, created_at, updated_at, agent_id,"
                    + " agent_name) VALUES (?, ?, 'tool', '{}', 'normal', 60, 'pending', ?, now(), now(), ?, ?)")) {
                insert.setObject(1, task);
                insert.setObject(2, user.id());
                insert.setString(3, "task-" + task);
                insert.setObject(4, agent.id());
                insert.setString(5, agent.definition().name());
                insert.executeUpdate();
            }

            CompletableFuture<ProblemBody> delete = CompletableFuture.supplyAsync(() -> ProblemBody.expect(
                    call(operator, "DELETE", AGENTS + "/" + agent.id(), null), 409));
            awaitLockWait("%FOR UPDATE%");
            submitting.commit();

            assertThat(delete.get(20, TimeUnit.SECONDS).detail()).contains("1 tasks pending");
        }
        assertThat(agents.find(agent.id()).blockOptional()).isPresent();
        assertThat(tasks.findById(task).block().status()).isEqualTo(TaskStatus.PENDING);
    }

    private void awaitLockWait(String query) {
        await().atMost(Duration.ofSeconds(15)).until(() -> db.sql("SELECT count(*) AS n FROM pg_stat_activity"
                        + " WHERE wait_event_type = 'Lock' AND query LIKE :query").bind("query", query)
                .map(row -> row.get("n", Long.class)).one().block() > 0);
    }

    private static void execute(Connection connection, String sql, UUID id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, id);
            if (statement.execute()) {
                try (ResultSet rows = statement.getResultSet()) {
                    assertThat(rows.next()).isTrue();
                }
            }
        }
    }
}
