package dev.keiko.api.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.api.ApiTestSupport;
import dev.keiko.api.auth.ProblemBody;
import dev.keiko.domain.user.Role;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import reactor.core.publisher.Flux;

/** Every mistake a client can make in a task request answers 4xx problem+json, and stores and starts nothing. */
class TaskSubmissionValidationTest extends ApiTestSupport {

    TestUser user;

    @BeforeEach
    void user() {
        user = createUser(Role.USER);
    }

    @Test
    void malformedJson() {
        ProblemBody problem = ProblemBody.expect(post("{\"type\": \"tool\", "), 400);
        assertThat(problem.detail()).startsWith("Malformed JSON");
        assertNothingStored();
    }

    @Test
    void missingType() {
        assertThat(ProblemBody.expect(post("{\"parameters\": {}}"), 400).detail()).contains("'type'");
        assertNothingStored();
    }

    @Test
    void unknownType() {
        assertThat(ProblemBody.expect(post("{\"type\": \"teleport\"}"), 400).detail())
                .contains("Unknown task type 'teleport'").contains("tool");
        assertNothingStored();
    }

    @Test
    void invalidPriority() {
        assertThat(ProblemBody.expect(post(toolTask("\"priority\": \"urgent\"")), 400).detail())
                .contains("'priority'").contains("low, normal, high, critical");
        assertNothingStored();
    }

    @Test
    void invalidTimeouts() {
        assertThat(ProblemBody.expect(post(toolTask("\"timeoutSeconds\": -5")), 400).detail())
                .contains("'timeoutSeconds'");
        assertThat(ProblemBody.expect(post(toolTask("\"timeoutSeconds\": 999999999")), 400).detail())
                .contains("'timeoutSeconds' must be at most 86400");
        assertThat(ProblemBody.expect(post(toolTask("\"timeoutSeconds\": \"soon\"")), 400).detail())
                .startsWith("Invalid value for 'timeoutSeconds'");
        assertNothingStored();
    }

    @Test
    void toolTaskWithoutServerOrTool() {
        assertThat(ProblemBody.expect(post("{\"type\": \"tool\", \"parameters\": {\"tool\": \"echo\"}}"), 400)
                .detail()).contains("'parameters.server'");
        assertThat(ProblemBody.expect(post("{\"type\": \"tool\", \"parameters\": {\"server\": \"x\"}}"), 400)
                .detail()).contains("'parameters.tool'");
        assertThat(ProblemBody.expect(post("{\"type\": \"tool\", \"parameters\": {\"server\": \"x\", \"tool\": \"y\","
                + " \"arguments\": [1]}}"), 400).detail()).contains("'parameters.arguments' must be a JSON object");
        assertNothingStored();
    }

    @Test
    void completionWithoutAConfiguredProvider() {
        assertThat(ProblemBody.expect(post("{\"type\": \"completion\", \"parameters\": {\"prompt\": \"hi\"}}"),
                422).detail()).contains("No LLM provider 'azure' is configured").contains("keiko.llm.azure.endpoint");
        assertThat(ProblemBody.expect(post("{\"type\": \"completion\", \"parameters\": {\"prompt\": \"hi\","
                + " \"provider\": \"openai\"}}"), 422).detail()).contains("keiko.llm.openai.base-url");
        assertNothingStored();
    }

    @Test
    void completionParametersThatDoNotFit() {
        assertThat(ProblemBody.expect(post("{\"type\": \"completion\", \"parameters\": {}}"), 400).detail())
                .contains("either 'parameters.messages' or 'parameters.prompt'");
        assertThat(ProblemBody.expect(post("{\"type\": \"completion\", \"parameters\": {\"prompt\": \"hi\","
                + " \"temperature\": 7}}"), 400).detail()).contains("'parameters.temperature'");
        assertThat(ProblemBody.expect(post("{\"type\": \"completion\", \"parameters\": {\"messages\":"
                + " [{\"role\": \"user\"}]}}"), 400).detail()).contains("'parameters.messages[0]'");
        assertNothingStored();
    }

    @Test
    void agentParametersThatDoNotFit() {
        assertThat(ProblemBody.expect(post("{\"type\": \"agent\", \"parameters\": {\"tools\": []}}"), 400)
                .detail()).contains("'parameters.goal'");
        assertThat(ProblemBody.expect(post("{\"type\": \"agent\", \"parameters\": {\"goal\": \"g\","
                + " \"maxSteps\": 0}}"), 400).detail()).contains("'parameters.maxSteps'");
        assertThat(ProblemBody.expect(post("{\"type\": \"agent\", \"parameters\": {\"goal\": \"g\","
                + " \"tools\": [\"a/b/c\"]}}"), 400).detail()).contains("'parameters.tools[0]'");
        assertThat(ProblemBody.expect(post("{\"type\": \"agent\", \"parameters\": {\"goal\": \"g\"}}"), 422)
                .detail()).contains("No LLM provider");
        assertNothingStored();
    }

    @Test
    void serverAndToolNamesAreBounded() {
        assertThat(ProblemBody.expect(post("{\"type\": \"tool\", \"parameters\": {\"server\": \""
                + "s".repeat(65) + "\", \"tool\": \"echo\"}}"), 400).detail()).contains("'parameters.server'");
        assertThat(ProblemBody.expect(post("{\"type\": \"tool\", \"parameters\": {\"server\": \"everything\","
                + " \"tool\": \"" + "t".repeat(129) + "\"}}"), 400).detail()).contains("'parameters.tool'");
        assertThat(ProblemBody.expect(post("{\"type\": \"tool\", \"parameters\": {\"server\": \"everything\","
                + " \"tool\": \"echo\\nforged log line\"}}"), 400).detail()).contains("'parameters.tool'");
        assertThat(ProblemBody.expect(post("{\"type\": \"agent\", \"parameters\": {\"goal\": \"g\","
                + " \"tools\": [\"everything/" + "t".repeat(129) + "\"]}}"), 400).detail())
                .contains("'parameters.tools[0]'");
        assertThat(ProblemBody.expect(post("{\"type\": \"agent\", \"parameters\": {\"goal\": \"g\","
                + " \"approvalRequired\": [\"bad server\"]}}"), 400).detail())
                .contains("'parameters.approvalRequired[0]'");
        assertNothingStored();
    }

    @Test
    void unknownMcpServer() {
        assertThat(ProblemBody.expect(post(toolTask("")), 422).detail()).isEqualTo("Unknown MCP server 'nowhere'");
        assertNothingStored();
    }

    @Test
    void parametersThatAreNotAnObject() {
        ProblemBody.expect(post("{\"type\": \"tool\", \"parameters\": \"server=x\"}"), 400);
        assertNothingStored();
    }

    @Test
    void bodyOverTheSizeLimit() {
        String huge = "{\"type\": \"tool\", \"parameters\": {\"pad\": \"" + "x".repeat(300 * 1024) + "\"}}";
        assertThat(ProblemBody.expect(post(huge), 413).detail()).contains("bytes");
        assertNothingStored();
    }

    @Test
    void nulCharactersInTextAreRefused() {
        assertThat(ProblemBody.expect(post("{\"type\": \"tool\", \"parameters\": {\"server\": \"nowhere\","
                + " \"tool\": \"echo\", \"x\": \"a\\u0000b\"}}"), 422).detail()).contains("nowhere");
        get("/api/v1/tasks?type=a%00b").expectStatus().isOk();
        ProblemBody.expect(web.post().uri("/api/v1/auth/token").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"username\": \"a\\u0000\", \"password\": \"secret-password\"}").exchange(), 400);
    }

    @Test
    void chunkedBodyOverTheSizeLimit() {
        Flux<String> chunks = Flux.concat(Flux.just("{\"type\": \"tool\", \"parameters\": {\"pad\": \""),
                Flux.range(0, 300).map(i -> "x".repeat(1024)), Flux.just("\"}}"));
        ProblemBody.expect(web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, "Bearer " + user.token())
                .contentType(MediaType.APPLICATION_JSON).body(BodyInserters.fromPublisher(chunks, String.class))
                .exchange(), 413);
        assertNothingStored();
    }

    @Test
    void wrongContentType() {
        ProblemBody.expect(web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, "Bearer " + user.token())
                .contentType(MediaType.TEXT_PLAIN).bodyValue("tool please").exchange(), 415);
        assertNothingStored();
    }

    @Test
    void overlongIdempotencyKey() {
        ProblemBody.expect(web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, "Bearer " + user.token())
                .header("Idempotency-Key", "k".repeat(256)).contentType(MediaType.APPLICATION_JSON).bodyValue(toolTask(""))
                .exchange(), 400);
        assertNothingStored();
    }

    @Test
    void noToken() {
        ProblemBody.expect(web.post().uri("/api/v1/tasks").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(toolTask("")).exchange(), 401);
    }

    @Test
    void viewersMayNotSubmit() {
        TestUser viewer = createUser(Role.VIEWER);
        ProblemBody.expect(web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, "Bearer " + viewer.token())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(toolTask("")).exchange(), 403);
    }

    @Test
    void unknownAndMalformedTaskIds() {
        ProblemBody.expect(get("/api/v1/tasks/" + UUID.randomUUID()), 404);
        ProblemBody.expect(get("/api/v1/tasks/not-a-uuid"), 400);
        ProblemBody.expect(web.post().uri("/api/v1/tasks/{id}/cancel", UUID.randomUUID())
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + user.token()).exchange(), 404);
        ProblemBody.expect(get("/api/v1/tasks/" + UUID.randomUUID() + "/events"), 404);
    }

    @Test
    void badListParameters() {
        assertThat(ProblemBody.expect(get("/api/v1/tasks?limit=0"), 400).detail()).contains("'limit'");
        assertThat(ProblemBody.expect(get("/api/v1/tasks?limit=1000"), 400).detail()).contains("'limit'");
        assertThat(ProblemBody.expect(get("/api/v1/tasks?limit=ten"), 400).detail())
                .startsWith("Invalid value for 'limit'");
        assertThat(ProblemBody.expect(get("/api/v1/tasks?status=sleeping"), 400).detail()).contains("sleeping");
        assertThat(ProblemBody.expect(get("/api/v1/tasks?cursor=garbage"), 400).detail()).contains("cursor");
    }

    private static String toolTask(String extra) {
        return "{\"type\": \"tool\", \"parameters\": {\"server\": \"nowhere\", \"tool\": \"echo\"}"
                + (extra.isEmpty() ? "" : ", " + extra) + "}";
    }

    private WebTestClient.ResponseSpec post(String body) {
        return web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, "Bearer " + user.token())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec get(String uri) {
        return web.get().uri(uri).header(HttpHeaders.AUTHORIZATION, "Bearer " + user.token()).exchange();
    }

    private void assertNothingStored() {
        Map<?, ?> page = web.get().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, "Bearer " + user.token())
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat((List<?>) page.get("items")).isEmpty();
    }
}
