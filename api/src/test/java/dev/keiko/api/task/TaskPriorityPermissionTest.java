package dev.keiko.api.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.api.auth.ProblemBody;
import dev.keiko.domain.agent.Agent;
import dev.keiko.domain.user.Role;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * Priorities {@code high} and {@code critical} need {@code tasks:prioritize} (operators and admins): slots are
 * granted strictly by priority, so a user's urgent tasks would push every other user's on a shared agent to the
 * back. A user or viewer asking for them gets 403 naming the permission, and nothing is stored or started;
 * {@code low} and {@code normal} stay open to whoever may create tasks.
 */
class TaskPriorityPermissionTest extends RoutingTestSupport {

    @Test
    void aUserMayNotAskForHighOrCriticalRoutedOrNot() {
        TestUser user = createUser(Role.USER);
        Agent agent = toolAgent(List.of(uniqueCapability()), 1);

        for (String priority : List.of("high", "critical")) {
            for (Map<String, Object> body : List.of(body("type", "tool", "priority", priority, "parameters", getSum()),
                    body("agentId", agent.id().toString(), "priority", priority, "parameters", getSum()),
                    body("requiredCapabilities", agent.definition().capabilities(), "priority", priority,
                            "parameters", getSum()))) {
                ProblemBody problem = ProblemBody.expect(call(user, "POST", TASKS, body), 403);
                assertThat(problem.detail()).as("%s", body)
                        .isEqualTo("Role 'user' lacks the permission 'tasks:prioritize'");
            }
        }

        // A task's row is written before its workflow starts: no row, no workflow.
        assertThat(storedTasks(user)).isZero();
    }

    @Test
    void aUserMayAskForLowOrNormalOrNone() {
        TestUser user = createUser(Role.USER);
        Agent agent = toolAgent(List.of(), 4);

        for (String priority : List.of("low", "normal")) {
            assertThat(accepted(user, body("type", "tool", "priority", priority, "parameters", getSum()))
                    .get("priority").asString()).isEqualTo(priority);
            assertThat(accepted(user, body("agentId", agent.id().toString(), "priority", priority,
                    "parameters", getSum())).get("priority").asString()).isEqualTo(priority);
        }
        assertThat(accepted(user, body("type", "tool", "parameters", getSum())).get("priority").asString())
                .isEqualTo("normal");
        assertThat(storedTasks(user)).isEqualTo(5);
    }

    @Test
    void operatorsAndAdminsMayAskForHighAndCritical() {
        Agent agent = toolAgent(List.of(), 4);
        for (TestUser caller : List.of(createUser(Role.OPERATOR), createUser(Role.ADMIN))) {
            for (String priority : List.of("high", "critical")) {
                JsonNode task = accepted(caller, body("agentId", agent.id().toString(), "priority", priority,
                        "parameters", getSum()));
                assertThat(task.get("priority").asString()).isEqualTo(priority);
            }
            assertThat(storedTasks(caller)).isEqualTo(2);
        }
    }

    @Test
    void aViewerIsRefusedForTasksCreateFirst() {
        TestUser viewer = createUser(Role.VIEWER);

        ProblemBody problem = ProblemBody.expect(call(viewer, "POST", TASKS, body("type", "tool",
                "priority", "critical", "parameters", getSum())), 403);

        assertThat(problem.detail()).isEqualTo("Role 'viewer' lacks the permission 'tasks:create'");
        assertThat(storedTasks(viewer)).isZero();
    }

    /** A refused request does not use up its Idempotency-Key: the same key then submits at normal priority. */
    @Test
    void aRefusedPriorityKeepsNoIdempotencyKey() {
        TestUser user = createUser(Role.USER);
        String key = "priority-" + uniqueName();

        ProblemBody.expect(web.post().uri(TASKS).header(HttpHeaders.AUTHORIZATION, "Bearer " + user.token())
                .header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body("type", "tool", "priority", "high", "parameters", getSum())).exchange(), 403);
        web.post().uri(TASKS).header(HttpHeaders.AUTHORIZATION, "Bearer " + user.token())
                .header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body("type", "tool", "priority", "normal", "parameters", getSum())).exchange()
                .expectStatus().isAccepted();

        assertThat(storedTasks(user)).isEqualTo(1);
    }
}
