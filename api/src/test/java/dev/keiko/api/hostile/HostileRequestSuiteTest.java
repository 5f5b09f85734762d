package dev.keiko.api.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keiko.api.ApiTestSupport;
import dev.keiko.domain.task.NewTask;
import dev.keiko.domain.task.TaskPriority;
import dev.keiko.domain.task.TaskStatus;
import dev.keiko.domain.task.TaskStore;
import dev.keiko.domain.user.Role;
import dev.keiko.domain.user.UserStore;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The hostile-input suite: every case in the tables ({@link TaskSubmissionCases}, {@link TaskAccessCases},
 * {@link UserCases}, {@link McpServerCases}, {@link TokenEndpointCases}, {@link BearerTokenCases},
 * {@link RoutingCases}, {@link AgentCases}) must answer its 4xx as problem+json whose {@code status} matches, and
 * leave the suite's users with exactly the tasks they had, no task workflow and no agent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileRequestSuiteTest extends ApiTestSupport {

    @Autowired
    UserStore users;

    @Autowired
    TaskStore tasks;

    @Autowired
    DatabaseClient db;

    @Autowired
    WorkflowClient temporal;

    @Autowired
    JsonMapper json;

    @LocalServerPort
    int port;

    HostileFixture fixture;

    static Stream<HostileCase> cases() {
        return Stream.of(TaskSubmissionCases.cases(), TaskAccessCases.cases(), UserCases.cases(),
                McpServerCases.cases(), TokenEndpointCases.cases(), BearerTokenCases.cases(), RoutingCases.cases(),
                TrustBoundaryCases.cases(), AgentCases.cases())
                .flatMap(cases -> cases);
    }

    @BeforeAll
    void createFixture() {
        Map<Caller, TestUser> signedIn = new EnumMap<>(Caller.class);
        for (Caller caller : Caller.values()) {
            signedIn.put(caller, createUser(caller.role()));
        }
        users.update(signedIn.get(Caller.DEACTIVATED).id(), null, false).block();
        users.update(signedIn.get(Caller.DEMOTED).id(), Role.VIEWER, null).block();
        UUID userTask = endedTask(signedIn.get(Caller.USER).id());
        String server = "hostile-" + UUID.randomUUID().toString().substring(0, 8);
        web.post().uri("/api/v1/mcp/servers")
                .headers(headers -> headers.setBearerAuth(signedIn.get(Caller.ADMIN).token()))
                .bodyValue(Map.of("name", server, "url", "https://1.1.1.1/mcp"))
                .exchange().expectStatus().isCreated();
        String restricted = server + "-restricted";
        web.post().uri("/api/v1/mcp/servers")
                .headers(headers -> headers.setBearerAuth(signedIn.get(Caller.ADMIN).token()))
                .bodyValue(Map.of("name", restricted, "url", "https://1.1.1.1/mcp", "allowedTools", List.of("echo"),
                        "allowedRoles", List.of("admin", "operator")))
                .exchange().expectStatus().isCreated();
        fixture = new HostileFixture(signedIn, userTask, server, restricted, new ForgedTokens(JWT_SECRET));
    }

    @AfterAll
    void removeServers() {
        for (String server : List.of(fixture.server(), fixture.restricted())) {
            web.delete().uri("/api/v1/mcp/servers/{name}", server)
                    .headers(headers -> headers.setBearerAuth(fixture.token(Caller.ADMIN)))
                    .exchange().expectStatus().isNoContent();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefused(HostileCase hostile) {
        EntityExchangeResult<byte[]> result = hostile.request().send(web, fixture).expectBody().returnResult();
        byte[] content = result.getResponseBodyContent();
        String body = content == null ? "" : new String(content, StandardCharsets.UTF_8);
        int status = result.getStatus().value();

        assertThat(status).as("status of %s, answered %s", hostile.name(), body).isIn(hostile.statuses());
        assertThat(result.getResponseHeaders().getContentType())
                .as("content type of %s, answered %s", hostile.name(), body)
                .isNotNull()
                .matches(type -> type.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON), "problem+json");
        JsonNode problem = json.readTree(body);
        assertThat(problem.path("status").asInt()).as("problem status in %s", body).isEqualTo(status);
        assertNothingStarted();
    }

    /** Guards against a suite that passes because its fixture is broken: its users and ids work when used right. */
    @Test
    void theFixtureWorksWhenUsedRight() {
        for (Caller caller : Set.of(Caller.ADMIN, Caller.OPERATOR, Caller.USER, Caller.OTHER_USER, Caller.VIEWER)) {
            web.get().uri("/api/v1/users/me").headers(headers -> headers.setBearerAuth(fixture.token(caller)))
                    .exchange().expectStatus().isOk();
        }
        web.get().uri("/api/v1/tasks/{id}", fixture.userTask())
                .headers(headers -> headers.setBearerAuth(fixture.token(Caller.USER)))
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("completed");
        web.get().uri("/api/v1/mcp/servers/{name}", fixture.server())
                .headers(headers -> headers.setBearerAuth(fixture.token(Caller.OPERATOR)))
                .exchange().expectStatus().isOk();
        web.get().uri("/api/v1/users/{id}", fixture.id(Caller.USER))
                .headers(headers -> headers.setBearerAuth(fixture.token(Caller.ADMIN)))
                .exchange().expectStatus().isOk();
    }

    /** The firewall's refusals say what was refused, rather than the server's generic answer to broken HTTP. */
    @Test
    void firewallRefusalsSayWhy() {
        web.get().uri(base -> URI.create(base.build() + "/api/v1/tasks/../users"))
                .headers(headers -> headers.setBearerAuth(fixture.token(Caller.USER)))
                .exchange().expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.detail").value(String.class, detail -> assertThat(detail)
                        .isEqualTo("The request was refused:"
                                + " The request was rejected because the URL was not normalized"))
                .jsonPath("$.instance").isEqualTo("/api/v1/tasks/../users");
    }

    /** Reactor Netty's own refusals (a request line over its limit, bytes that are not HTTP) answer problem+json. */
    @Test
    void refusalsOfTheHttpServerItselfSayWhy() throws IOException {
        web.get().uri("/api/v1/" + "x".repeat(10_000)).exchange()
                .expectStatus().isEqualTo(414)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").isEqualTo("The request line is longer than this server accepts");

        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write("GET /api/v1/tasks HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            socket.setSoTimeout(5_000);
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400 ")
                    .containsIgnoringCase("content-type: application/problem+json")
                    .contains("\"status\":400").contains("The request is not valid HTTP");
        }
    }

    @Test
    void theSuiteHasAtLeast200DistinctCases() {
        assertThat(cases().map(HostileCase::name).distinct().count()).isGreaterThanOrEqualTo(200)
                .isEqualTo(cases().count());
    }

    /** The suite's users own exactly the fixture's task, none of their tasks has a workflow, none made an agent. */
    private void assertNothingStarted() {
        assertThat(db.sql("SELECT count(*) AS agents FROM agents WHERE created_by = ANY(:owners)")
                .bind("owners", fixture.userIds().toArray(UUID[]::new))
                .map(row -> row.get("agents", Long.class)).one().block()).isZero();
        Set<UUID> owned = new HashSet<>(db.sql("SELECT id FROM tasks WHERE owner_id = ANY(:owners)")
                .bind("owners", fixture.userIds().toArray(UUID[]::new))
                .map(row -> row.get("id", UUID.class))
                .all().collectList().block());
        assertThat(owned).isEqualTo(fixture.taskIds());
        for (UUID id : owned) {
            assertThatThrownBy(() -> temporal.newUntypedWorkflowStub("task-" + id).describe())
                    .isInstanceOf(WorkflowNotFoundException.class);
        }
    }

    private UUID endedTask(UUID owner) {
        UUID id = tasks.insert(new NewTask(owner, "tool", json.valueToTree(Map.of("server", "s", "tool", "t")),
                TaskPriority.NORMAL, 60, null, "hostile-fixture")).block().task().id();
        tasks.recordOutcome(id, TaskStatus.COMPLETED, json.valueToTree(Map.of("success", true)), Instant.now()).block();
        return id;
    }
}
