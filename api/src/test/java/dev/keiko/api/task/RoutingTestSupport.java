package dev.keiko.api.task;

import dev.keiko.api.ConfiguredTestSupport;
import dev.keiko.domain.agent.Agent;
import dev.keiko.domain.agent.AgentDefinition;
import dev.keiko.domain.agent.AgentStore;
import dev.keiko.domain.agent.AgentType;
import dev.keiko.domain.task.NewTask;
import dev.keiko.domain.task.RoutedAgent;
import dev.keiko.domain.task.Task;
import dev.keiko.domain.task.TaskPriority;
import dev.keiko.domain.task.TaskStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Agents and routed tasks for the routing tests, against the configured MCP server {@code limited} (allowing
 * {@code echo} and {@code get-sum}) and Azure deployments {@code gpt-4o} (the default) and {@code gpt-4o-mini}
 * of {@link ConfiguredTestSupport}. No worker runs, so started workflows stay running and their tasks pending.
 */
abstract class RoutingTestSupport extends ConfiguredTestSupport {

    static final String TASKS = "/api/v1/tasks";
    static final String AGENTS = "/api/v1/agents";

    @Autowired
    AgentStore agents;

    @Autowired
    TaskStore tasks;

    @Autowired
    DatabaseClient db;

    @Autowired
    JsonMapper json;

    /** An active tool agent offering {@code limited/get-sum}, with these capabilities and slots. */
    Agent toolAgent(List<String> capabilities, int maxConcurrentTasks) {
        return active(new AgentDefinition(uniqueName(), AgentType.TOOL, capabilities, 120, maxConcurrentTasks, null,
                List.of("limited/get-sum"), List.of(), null, null, null, null, null));
    }

    /** An active llm agent with tools, an approval, a system prompt and limits of steps and tokens. */
    Agent llmAgent(List<String> capabilities) {
        return active(new AgentDefinition(uniqueName(), AgentType.LLM, capabilities, 200, 2, null,
                List.of("limited/echo", "limited/get-sum"), List.of("limited/echo"), null, null, "Be brief.", 5,
                10_000L));
    }

    Agent active(AgentDefinition definition) {
        Agent created = agents.insert(definition, null).block();
        return agents.setActive(created.id(), true, null).block();
    }

    /** A task of the agent stored directly, without a workflow. */
    Task routedTask(TestUser owner, Agent agent) {
        return tasks.insert(new NewTask(owner.id(), "tool", json.valueToTree(Map.of("server", "limited", "tool",
                "get-sum")), TaskPriority.NORMAL, 60, null, "h", new RoutedAgent(agent.id(),
                agent.definition().name()))).block().task();
    }

    long storedTasks(TestUser owner) {
        return db.sql("SELECT count(*) AS n FROM tasks WHERE owner_id = :owner").bind("owner", owner.id())
                .map(row -> row.get("n", Long.class)).one().block();
    }

    static Map<String, Object> getSum() {
        return Map.of("server", "limited", "tool", "get-sum", "arguments", Map.of("a", 1, "b", 2));
    }

    static Map<String, Object> body(Object... entries) {
        Map<String, Object> body = new HashMap<>();
        for (int i = 0; i < entries.length; i += 2) {
            body.put((String) entries[i], entries[i + 1]);
        }
        return body;
    }

    WebTestClient.ResponseSpec call(TestUser user, String method, String path, Object body) {
        WebTestClient.RequestBodySpec request = web.method(HttpMethod.valueOf(method)).uri(path)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + user.token());
        return body == null ? request.exchange()
                : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    JsonNode accepted(TestUser user, Map<String, Object> body) {
        return call(user, "POST", TASKS, body).expectStatus().isAccepted().expectBody(JsonNode.class).returnResult()
                .getResponseBody();
    }

    JsonNode read(TestUser user, String path) {
        return call(user, "GET", path, null).expectStatus().isOk().expectBody(JsonNode.class).returnResult()
                .getResponseBody();
    }

    static String uniqueName() {
        return "agent-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String uniqueCapability() {
        return "cap-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
