package dev.keiko.api.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.api.ConfiguredTestSupport;
import dev.keiko.api.auth.ProblemBody;
import dev.keiko.domain.agent.AgentStore;
import dev.keiko.domain.user.Role;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * The agent registry over HTTP: who may write and read, what an agent may name, and that every refusal
 * is problem+json and stores nothing.
 */
class AgentApiTest extends ConfiguredTestSupport {

    private static final String AGENTS = "/api/v1/agents";

    @Autowired
    AgentStore store;

    TestUser operator;

    @BeforeEach
    void operator() {
        operator = createUser(Role.OPERATOR);
    }

    @Test
    void anOperatorCreatesAnAgentWithDefaultsAndEveryoneReadsIt() {
        String name = uniqueName();
        JsonNode agent = created(llmAgent(name));

        assertThat(agent.get("type").asString()).isEqualTo("llm");
        assertThat(agent.get("status").asString()).isEqualTo("inactive");
        assertThat(agent.get("timeoutSeconds").asInt()).isEqualTo(300);
        assertThat(agent.get("maxConcurrentTasks").asInt()).isEqualTo(1);
        assertThat(agent.get("maxSteps").asInt()).isEqualTo(10);
        assertThat(agent.get("retryPolicy").get("maximumAttempts").asInt()).isEqualTo(5);
        assertThat(agent.get("tools").get(0).asString()).isEqualTo("limited/echo");
        assertThat(agent.get("createdBy").asString()).isEqualTo(operator.id().toString());
        String id = agent.get("id").asString();
        for (Role reader : List.of(Role.VIEWER, Role.USER, Role.ADMIN)) {
            JsonNode read = call(createUser(reader), "GET", AGENTS + "/" + id, null).expectStatus().isOk()
                    .expectBody(JsonNode.class).returnResult().getResponseBody();
            assertThat(read.get("name").asString()).as("%s", reader).isEqualTo(name);
        }
    }

    /** A system prompt may hold confidential instructions: only those who may write agents read it, and who made it. */
    @Test
    void onlyThoseWhoMayWriteAgentsSeeTheSystemPromptAndItsCreator() {
        String name = uniqueName();
        String id = created(with(llmAgent(name), "systemPrompt", "Never mention the merger.")).get("id").asString();

        for (Role reader : List.of(Role.VIEWER, Role.USER)) {
            TestUser user = createUser(reader);
            JsonNode read = call(user, "GET", AGENTS + "/" + id, null).expectStatus().isOk()
                    .expectBody(JsonNode.class).returnResult().getResponseBody();
            JsonNode listed = listed(user, id);
            for (JsonNode shown : List.of(read, listed)) {
                assertThat(shown.get("name").asString()).as("%s", reader).isEqualTo(name);
                assertThat(shown.get("tools").get(0).asString()).as("%s", reader).isEqualTo("limited/echo");
                assertThat(shown.has("systemPrompt")).as("%s sees the system prompt", reader).isFalse();
                assertThat(shown.has("createdBy")).as("%s sees who created the agent", reader).isFalse();
                assertThat(shown.toString()).as("%s", reader).doesNotContain("merger", operator.id().toString());
            }
        }
        for (TestUser writer : List.of(operator, admin())) {
            JsonNode read = call(writer, "GET", AGENTS + "/" + id, null).expectStatus().isOk()
                    .expectBody(JsonNode.class).returnResult().getResponseBody();
            for (JsonNode shown : List.of(read, listed(writer, id))) {
                assertThat(shown.get("systemPrompt").asString()).isEqualTo("Never mention the merger.");
                assertThat(shown.get("createdBy").asString()).isEqualTo(operator.id().toString());
            }
        }
    }

    /** The agent as {@code GET /agents} shows it to this caller, paging until it is found. */
    private JsonNode listed(TestUser user, String id) {
        String cursor = null;
        do {
            JsonNode page = call(user, "GET", AGENTS + "?limit=100" + (cursor == null ? "" : "&cursor=" + cursor),
                    null).expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
            for (JsonNode agent : page.get("agents")) {
                if (agent.get("id").asString().equals(id)) {
                    return agent;
                }
            }
            JsonNode next = page.get("nextCursor");
            cursor = next == null || next.isNull() ? null : next.asString();
        } while (cursor != null);
        throw new AssertionError("Agent " + id + " is not in the list");
    }

    @Test
    void theLifecycleIsAuditedForAdmins() {
        String id = created(toolAgent(uniqueName())).get("id").asString();
        String renamed = uniqueName();

        JsonNode changed = call(operator, "PATCH", AGENTS + "/" + id, Map.of("name", renamed, "maxConcurrentTasks", 3,
                "capabilities", List.of("math"))).expectStatus().isOk().expectBody(JsonNode.class).returnResult()
                .getResponseBody();
        assertThat(changed.get("name").asString()).isEqualTo(renamed);
        assertThat(changed.get("maxConcurrentTasks").asInt()).isEqualTo(3);
        assertThat(changed.get("tools").get(0).asString()).isEqualTo("limited/get-sum");
        assertThat(status(call(operator, "POST", AGENTS + "/" + id + "/activate", null))).isEqualTo("active");
        assertThat(status(call(operator, "POST", AGENTS + "/" + id + "/activate", null))).isEqualTo("active");
        assertThat(status(call(operator, "POST", AGENTS + "/" + id + "/deactivate", null))).isEqualTo("inactive");
        call(operator, "DELETE", AGENTS + "/" + id, null).expectStatus().isNoContent();
        ProblemBody.expect(call(operator, "GET", AGENTS + "/" + id, null), 404);

        JsonNode events = call(admin(), "GET", AGENTS + "/" + id + "/events", null).expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(events.valueStream().map(event -> event.get("type").asString()))
                .containsExactly("created", "updated", "activated", "deactivated", "deleted");
        assertThat(events.valueStream().map(event -> event.get("actor").asString()))
                .containsOnly(operator.id().toString());
        ProblemBody.expect(call(operator, "GET", AGENTS + "/" + id + "/events", null), 403);
    }

    @Test
    void theListIsKeysetPaginated() {
        for (int i = 0; i < 3; i++) {
            created(toolAgent(uniqueName()));
        }
        JsonNode first = call(createUser(Role.VIEWER), "GET", AGENTS + "?limit=2", null).expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(first.get("agents").size()).isEqualTo(2);
        String cursor = first.get("nextCursor").asString();
        JsonNode second = call(operator, "GET", AGENTS + "?limit=2&cursor=" + cursor, null).expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(second.get("agents").get(0).get("id").asString()).isNotIn(
                first.get("agents").get(0).get("id").asString(), first.get("agents").get(1).get("id").asString());
        ProblemBody.expect(call(operator, "GET", AGENTS + "?limit=0", null), 400);
        ProblemBody.expect(call(operator, "GET", AGENTS + "?limit=101", null), 400);
        ProblemBody.expect(call(operator, "GET", AGENTS + "?cursor=not-a-cursor", null), 400);
    }

    @Test
    void readersMayNotWrite() {
        String id = created(toolAgent(uniqueName())).get("id").asString();
        for (Role reader : List.of(Role.VIEWER, Role.USER)) {
            TestUser user = createUser(reader);
            String name = uniqueName();
            ProblemBody.expect(call(user, "POST", AGENTS, toolAgent(name)), 403);
            assertThat(store.findByName(name).blockOptional()).isEmpty();
            ProblemBody.expect(call(user, "PATCH", AGENTS + "/" + id, Map.of("maxConcurrentTasks", 9)), 403);
            ProblemBody.expect(call(user, "POST", AGENTS + "/" + id + "/activate", null), 403);
            ProblemBody.expect(call(user, "POST", AGENTS + "/" + id + "/deactivate", null), 403);
            ProblemBody.expect(call(user, "DELETE", AGENTS + "/" + id, null), 403);
            ProblemBody.expect(call(user, "GET", AGENTS + "/" + id + "/events", null), 403);
        }
        JsonNode unchanged = call(operator, "GET", AGENTS + "/" + id, null).expectBody(JsonNode.class).returnResult()
                .getResponseBody();
        assertThat(unchanged.get("maxConcurrentTasks").asInt()).isEqualTo(1);
        assertThat(unchanged.get("status").asString()).isEqualTo("inactive");
    }

    @Test
    void malformedAgentsAnswer400AndAreNotStored() {
        String name = uniqueName();
        List<Map<String, Object>> malformed = List.of(
                with(toolAgent("Bad Name"), "name", "Bad Name"),
                with(toolAgent(name), "type", "robot"),
                without(toolAgent(name), "type"),
                without(toolAgent(name), "name"),
                with(toolAgent(name), "maxConcurrentTasks", 0),
                with(toolAgent(name), "maxConcurrentTasks", 1001),
                with(toolAgent(name), "timeoutSeconds", 86_401),
                with(toolAgent(name), "timeoutSeconds", 0),
                with(toolAgent(name), "capabilities", List.of("Has Spaces")),
                with(toolAgent(name), "tools", List.of("a/b/c")),
                with(toolAgent(name), "tools", List.of()),
                with(toolAgent(name), "provider", "azure"),
                with(toolAgent(name), "approvalRequired", List.of("limited/echo")),
                with(toolAgent(name), "retryPolicy", Map.of("initialIntervalSeconds", 10, "maximumIntervalSeconds", 5)),
                with(toolAgent(name), "retryPolicy", Map.of("backoffCoefficient", 0.5)),
                with(llmAgent(name), "systemPrompt", "x".repeat(20_001)),
                with(llmAgent(name), "maxSteps", 1001),
                with(llmAgent(name), "deployment", "gpt 4o"));
        for (Map<String, Object> body : malformed) {
            ProblemBody.expect(call(operator, "POST", AGENTS, body), 400);
        }
        assertThat(ProblemBody.expect(call(operator, "POST", AGENTS, with(llmAgent(name), "systemPrompt", "a\u0000b")),
                400).detail()).contains("NUL");
        ProblemBody.expect(web.post().uri(AGENTS).header(HttpHeaders.AUTHORIZATION, "Bearer " + operator.token())
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"name\":").exchange(), 400);
        assertThat(store.findByName(name).blockOptional()).isEmpty();

        String id = created(toolAgent(uniqueName())).get("id").asString();
        ProblemBody.expect(call(operator, "PATCH", AGENTS + "/" + id, Map.of("type", "llm")), 400);
        ProblemBody.expect(call(operator, "PATCH", AGENTS + "/" + id, Map.of("maxSteps", 3)), 400);
        ProblemBody.expect(call(operator, "GET", AGENTS + "/not-a-uuid", null), 400);
    }

    @Test
    void unknownAgentsAnswer404() {
        String path = AGENTS + "/" + UUID.randomUUID();
        ProblemBody.expect(call(operator, "GET", path, null), 404);
        ProblemBody.expect(call(operator, "PATCH", path, Map.of("maxConcurrentTasks", 2)), 404);
        ProblemBody.expect(call(operator, "POST", path + "/activate", null), 404);
        ProblemBody.expect(call(operator, "POST", path + "/deactivate", null), 404);
        ProblemBody.expect(call(operator, "DELETE", path, null), 404);
        ProblemBody.expect(call(admin(), "GET", path + "/events", null), 404);
    }

    @Test
    void aTakenNameAnswers409() {
        String taken = created(toolAgent(uniqueName())).get("name").asString();
        String other = created(toolAgent(uniqueName())).get("id").asString();

        assertThat(ProblemBody.expect(call(operator, "POST", AGENTS, llmAgent(taken)), 409).detail())
                .isEqualTo("An agent named '" + taken + "' already exists");
        ProblemBody.expect(call(operator, "PATCH", AGENTS + "/" + other, Map.of("name", taken)), 409);
        assertThat(store.find(UUID.fromString(other)).block().definition().name()).isNotEqualTo(taken);
    }

    @Test
    void toolsAndModelsOutsideWhatExistsAnswer422AndThePolicy403() {
        String name = uniqueName();
        assertThat(ProblemBody.expect(call(operator, "POST", AGENTS,
                with(toolAgent(name), "tools", List.of("nowhere/echo"))), 422).detail()).contains("'nowhere'");
        assertThat(ProblemBody.expect(call(operator, "POST", AGENTS,
                with(toolAgent(name), "tools", List.of("limited/get-env"))), 422).detail())
                .isEqualTo("Tool 'get-env' of MCP server 'limited' is not allowed for tasks; allowed: echo, get-sum");
        assertThat(ProblemBody.expect(call(operator, "POST", AGENTS,
                with(llmAgent(name), "deployment", "gpt-5")), 422).detail()).contains("Unknown deployment 'gpt-5'");
        ProblemBody.expect(call(operator, "POST", AGENTS, with(llmAgent(name), "provider", "openai")), 422);
        assertThat(ProblemBody.expect(call(operator, "POST", AGENTS,
                with(toolAgent(name), "tools", List.of("admins-only"))), 403).detail())
                .isEqualTo("Role 'operator' may not use MCP server 'admins-only'");
        assertThat(store.findByName(name).blockOptional()).isEmpty();

        String id = created(toolAgent(uniqueName())).get("id").asString();
        ProblemBody.expect(call(operator, "PATCH", AGENTS + "/" + id, Map.of("tools", List.of("limited/get-env"))),
                422);
        assertThat(store.find(UUID.fromString(id)).block().definition().tools()).containsExactly("limited/get-sum");
        // What an operator may not name, an admin may; a whole server with an allow-list is fine.
        call(admin(), "POST", AGENTS, with(llmAgent(uniqueName()), "tools", List.of("admins-only", "limited")))
                .expectStatus().isCreated();
        call(operator, "POST", AGENTS, with(llmAgent(uniqueName()), "deployment", "gpt-4o-mini"))
                .expectStatus().isCreated();
    }

    private JsonNode created(Map<String, Object> body) {
        return call(operator, "POST", AGENTS, body).expectStatus().isCreated()
                .expectHeader().valueMatches(HttpHeaders.LOCATION, "/api/v1/agents/[0-9a-f-]{36}")
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private static String status(WebTestClient.ResponseSpec response) {
        return response.expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody()
                .get("status").asString();
    }

    private WebTestClient.ResponseSpec call(TestUser user, String method, String path, Object body) {
        WebTestClient.RequestBodySpec request = web.method(org.springframework.http.HttpMethod.valueOf(method))
                .uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + user.token());
        return body == null ? request.exchange() : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange();
    }

    private static String uniqueName() {
        return "agent-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Map<String, Object> toolAgent(String name) {
        return Map.of("name", name, "type", "tool", "capabilities", List.of("math"), "tools",
                List.of("limited/get-sum"));
    }

    private static Map<String, Object> llmAgent(String name) {
        return Map.of("name", name, "type", "llm", "capabilities", List.of("chat"), "tools", List.of("limited/echo"),
                "approvalRequired", List.of("limited/echo"), "systemPrompt", "Be brief.", "maxTokensPerTask", 10_000);
    }

    private static Map<String, Object> with(Map<String, Object> body, String field, Object value) {
        Map<String, Object> changed = new HashMap<>(body);
        changed.put(field, value);
        return changed;
    }

    private static Map<String, Object> without(Map<String, Object> body, String field) {
        Map<String, Object> changed = new HashMap<>(body);
        changed.remove(field);
        return changed;
    }
}
