package dev.keiko.api.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.api.ApiTestSupport;
import dev.keiko.api.auth.ProblemBody;
import dev.keiko.domain.task.NewTask;
import dev.keiko.domain.task.Task;
import dev.keiko.domain.task.TaskPriority;
import dev.keiko.domain.task.TaskStatus;
import dev.keiko.domain.task.TaskStore;
import dev.keiko.domain.user.Role;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Task lists stay small unless asked for more, and their parameters are checked before the database sees them. */
class TaskListBoundsTest extends ApiTestSupport {

    @Autowired
    TaskStore tasks;

    @Autowired
    JsonMapper json;

    private TestUser user;

    @BeforeEach
    void user() {
        user = createUser(Role.USER);
    }

    @Test
    void listsLeaveOutParametersAndResultsUnlessAsked() {
        Task task = completedTask("x".repeat(10_000));

        JsonNode plain = onlyItem(list(""));
        JsonNode withResult = onlyItem(list("?include=result"));
        JsonNode withBoth = onlyItem(list("?include=parameters,result"));
        JsonNode repeated = onlyItem(list("?include=parameters&include=result"));

        assertThat(plain.get("id").asString()).isEqualTo(task.id().toString());
        assertThat(plain.get("status").asString()).isEqualTo("completed");
        assertThat(plain.has("parameters") || plain.has("result")).isFalse();
        assertThat(withResult.has("result") && !withResult.has("parameters")).isTrue();
        assertThat(withBoth.get("parameters").get("server").asString()).isEqualTo("s");
        assertThat(withBoth.get("result").get("output").asString()).isEqualTo("x".repeat(10_000));
        assertThat(repeated).isEqualTo(withBoth);
        web.get().uri("/api/v1/tasks/{id}", task.id()).header(HttpHeaders.AUTHORIZATION, "Bearer " + user.token())
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.result.output").exists()
                .jsonPath("$.parameters.server").isEqualTo("s");
    }

    @Test
    void anUnknownIncludeIsABadRequest() {
        assertThat(ProblemBody.expect(get("/api/v1/tasks?include=secrets"), 400).detail())
                .contains("'include'").contains("secrets");
    }

    @Test
    void aCursorOutsideTheDatabasesRangeIsABadRequest() {
        for (String createdAt : new String[] {"+999999-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z",
                "+10000-01-01T00:00:00Z", "1969-12-31T23:59:59Z"}) {
            String cursor = cursor(createdAt + "|" + UUID.randomUUID());
            assertThat(ProblemBody.expect(get("/api/v1/tasks?cursor=" + cursor), 400).detail())
                    .as(createdAt).contains("cursor");
        }
        ProblemBody.expect(get("/api/v1/tasks?cursor=" + cursor(Instant.now() + "|not-a-uuid")), 400);
        ProblemBody.expect(get("/api/v1/tasks?cursor=" + cursor(Instant.now().toString())), 400);
        get("/api/v1/tasks?cursor=" + cursor(Instant.now() + "|" + UUID.randomUUID())).expectStatus().isOk();
    }

    @Test
    void limitsThatAreNoNumberOrTooBigAreBadRequests() {
        for (String limit : new String[] {"99999999999", "1.5", "-1", "ten", "%00"}) {
            assertThat(ProblemBody.expect(get("/api/v1/tasks?limit=" + limit), 400).detail()).as(limit)
                    .contains("'limit'");
        }
    }

    @Test
    void anIdempotencyKeyOf255CharactersPassesAndOneMoreIsRefusedBeforeAnythingIsStored() {
        String task = "{\"type\": \"tool\", \"parameters\": {\"server\": \"nowhere\", \"tool\": \"echo\"}}";

        ProblemBody longest = ProblemBody.expect(submit(task, "k".repeat(255)), 422);
        ProblemBody tooLong = ProblemBody.expect(submit(task, "k".repeat(256)), 400);

        assertThat(longest.detail()).contains("nowhere");
        assertThat(tooLong.detail()).contains("Idempotency-Key");
        assertThat(list("").get("items").isEmpty()).isTrue();
    }

    private Task completedTask(String output) {
        Task task = tasks.insert(new NewTask(user.id(), "tool", json.valueToTree(Map.of("server", "s", "tool", "t")),
                TaskPriority.NORMAL, 60, null, "h")).block().task();
        tasks.recordOutcome(task.id(), TaskStatus.COMPLETED, json.valueToTree(Map.of("output", output)), Instant.now())
                .block();
        return task;
    }

    private static String cursor(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode onlyItem(JsonNode page) {
        assertThat(page.get("items").size()).isEqualTo(1);
        return page.get("items").get(0);
    }

    private JsonNode list(String query) {
        return get("/api/v1/tasks" + query).expectStatus().isOk().expectBody(JsonNode.class).returnResult()
                .getResponseBody();
    }

    private WebTestClient.ResponseSpec submit(String body, String idempotencyKey) {
        return web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, "Bearer " + user.token())
                .header("Idempotency-Key", idempotencyKey).contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange();
    }

    private WebTestClient.ResponseSpec get(String uri) {
        return web.get().uri(uri).header(HttpHeaders.AUTHORIZATION, "Bearer " + user.token()).exchange();
    }
}
