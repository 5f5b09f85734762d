package dev.keiko.api.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.api.auth.ProblemBody;
import dev.keiko.domain.agent.Agent;
import dev.keiko.domain.user.Role;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/v1/tasks} routed to an agent by id, by name or by capabilities: which agent is chosen,
 * that the task shows it and can be listed by it, that its workflow is started with it, and that every
 * refusal is problem+json and stores (so starts) nothing.
 */
class TaskRoutingTest extends RoutingTestSupport {

    @Autowired
    WorkflowClient client;

    @Test
    void aTaskRoutedByIdOrNameRunsOnThatAgentAndShowsIt() {
        TestUser user = createUser(Role.USER);
        // Priority high needs tasks:prioritize: an operator submits that one, and sees every task of the agent.
        TestUser operator = createUser(Role.OPERATOR);
        Agent agent = toolAgent(List.of(), 1);
        String name = agent.definition().name();

        JsonNode byId = accepted(user, body("agentId", agent.id().toString(), "parameters", getSum()));
        JsonNode byName = accepted(operator, body("agent", name, "type", "tool", "parameters", getSum(),
                "priority", "high"));
        JsonNode unrouted = accepted(user, body("type", "tool", "parameters", getSum()));

        assertThat(byId.get("type").asString()).isEqualTo("tool");
        assertThat(byId.get("timeoutSeconds").asInt()).isEqualTo(120);
        assertThat(byId.get("agent").get("id").asString()).isEqualTo(agent.id().toString());
        assertThat(byId.get("agent").get("name").asString()).isEqualTo(name);
        assertThat(unrouted.has("agent")).isFalse();
        JsonNode read = read(operator, TASKS + "/" + byName.get("id").asString());
        assertThat(read.get("agent").get("name").asString()).isEqualTo(name);

        JsonNode listed = read(operator, TASKS + "?agentId=" + agent.id());
        assertThat(listed.get("items").valueStream().map(task -> task.get("id").asString()))
                .containsExactlyInAnyOrder(byId.get("id").asString(), byName.get("id").asString());
        assertThat(listed.get("items").get(0).get("agent").get("id").asString()).isEqualTo(agent.id().toString());
        ProblemBody.expect(call(user, "GET", TASKS + "?agentId=not-a-uuid", null), 400);

        String started = startInput(byName.get("workflowId").asString());
        assertThat(started).contains("\"agentId\":\"" + agent.id() + "\"", "\"agentName\":\"" + name + "\"",
                "\"priority\":\"high\"", "\"maximumAttempts\":5");
        assertThat(startInput(unrouted.get("workflowId").asString())).doesNotContain("agentId");
        // The Temporal Web UI names the agent in the workflow's summary.
        assertThat(summary(byName.get("workflowId").asString())).endsWith(", agent " + name + "\"");
        assertThat(summary(unrouted.get("workflowId").asString())).doesNotContain("agent");
    }

    @Test
    void capabilitiesPickTheActiveAgentWithTheMostFreeSlotsHealthyOnesFirst() {
        TestUser user = createUser(Role.USER);
        String math = uniqueCapability();
        String extra = uniqueCapability();
        Agent twoSlots = toolAgent(List.of(math, extra), 2);
        Agent threeSlotsTwoBusy = toolAgent(List.of(math, extra), 3);
        Agent inactiveWithTen = toolAgent(List.of(math, extra), 10);
        agents.setActive(inactiveWithTen.id(), false, null).block();
        for (int i = 0; i < 2; i++) {
            tasks.markRunning(routedTask(user, threeSlotsTwoBusy).id(), Instant.now()).block();
        }
        Agent otherType = llmAgent(List.of(math, extra));

        JsonNode chosen = accepted(user, body("requiredCapabilities", List.of(math, extra), "type", "tool",
                "parameters", getSum()));
        assertThat(chosen.get("agent").get("id").asString()).isEqualTo(twoSlots.id().toString());

        agents.enterError(twoSlots.id(), "UNKNOWN_TOOL", Instant.now()).block();
        JsonNode healthyFirst = accepted(user, body("requiredCapabilities", List.of(math), "type", "tool",
                "parameters", getSum()));
        assertThat(healthyFirst.get("agent").get("id").asString()).isEqualTo(threeSlotsTwoBusy.id().toString());

        JsonNode llm = accepted(user, body("requiredCapabilities", List.of(math), "type", "agent",
                "parameters", Map.of("goal", "add")));
        assertThat(llm.get("agent").get("id").asString()).isEqualTo(otherType.id().toString());
        assertThat(llm.get("type").asString()).isEqualTo("agent");
    }

    @Test
    void requestsThatCannotBeRoutedAnswer400Or422AndStoreNothing() {
        TestUser user = createUser(Role.USER);
        Agent agent = toolAgent(List.of(uniqueCapability()), 1);
        Agent inactive = toolAgent(List.of(), 1);
        agents.setActive(inactive.id(), false, null).block();
        String alone = uniqueCapability();
        String other = uniqueCapability();
        toolAgent(List.of(alone), 1);
        toolAgent(List.of(other), 1);
        String id = agent.id().toString();
        UUID unknown = UUID.randomUUID();

        ProblemBody.expect(submit(user, body("agentId", id, "agent", agent.definition().name(),
                "parameters", getSum())), 400);
        ProblemBody.expect(submit(user, body("agentId", id, "requiredCapabilities", List.of("x"),
                "parameters", getSum())), 400);
        ProblemBody.expect(submit(user, body("parameters", getSum())), 400);
        ProblemBody.expect(submit(user, body("agentId", id, "type", "robot", "parameters", getSum())), 400);
        ProblemBody.expect(submit(user, body("requiredCapabilities", List.of(), "parameters", getSum())), 400);
        ProblemBody.expect(submit(user, body("requiredCapabilities", List.of("Not Valid"), "parameters", getSum())),
                400);
        ProblemBody.expect(submit(user, body("requiredCapabilities", java.util.stream.IntStream.range(0, 17)
                .mapToObj(i -> "c" + i).toList(), "parameters", getSum())), 400);
        ProblemBody.expect(submit(user, body("agent", "Bad Name", "parameters", getSum())), 400);
        assertThat(ProblemBody.expect(submit(user, body("agentId", unknown.toString(), "parameters", getSum())), 422)
                .detail()).isEqualTo("No agent with id " + unknown);
        assertThat(ProblemBody.expect(submit(user, body("agent", "nobody-here", "parameters", getSum())), 422)
                .detail()).isEqualTo("No agent named 'nobody-here'");
        assertThat(ProblemBody.expect(submit(user, body("agentId", inactive.id().toString(), "parameters",
                getSum())), 422).detail()).isEqualTo("agent '" + inactive.definition().name() + "' is inactive");
        assertThat(ProblemBody.expect(submit(user, body("agentId", id, "type", "completion", "parameters",
                Map.of("prompt", "hi"))), 422).detail()).contains("runs 'tool' tasks, not 'completion'");
        assertThat(ProblemBody.expect(submit(user, body("requiredCapabilities", List.of(alone, "nobody-offers-this"),
                "parameters", getSum())), 422).detail()).isEqualTo("No active agent offers: nobody-offers-this");
        assertThat(ProblemBody.expect(submit(user, body("requiredCapabilities", List.of(alone, other),
                "parameters", getSum())), 422).detail()).isEqualTo("No single active agent has all of: " + alone
                        + ", " + other);
        assertThat(ProblemBody.expect(submit(user, body("requiredCapabilities", List.of(alone), "type", "agent",
                "parameters", Map.of("goal", "g"))), 422).detail()).contains("No active agent offers: " + alone);
        ProblemBody.expect(submit(user, body("requiredCapabilities", List.of(alone), "type", "completion",
                "parameters", Map.of("prompt", "hi"))), 422);
        ProblemBody.expect(submit(user, body("requiredCapabilities", List.of(inactive.definition().name()),
                "parameters", getSum())), 422);

        // A workflow is only ever started for a stored task (its id is the task's): none stored, none started.
        assertThat(storedTasks(user)).isZero();
    }

    @Test
    void theIdempotencyKeyCoversTheRoutingFields() {
        TestUser user = createUser(Role.USER);
        Agent first = toolAgent(List.of(), 1);
        Agent second = toolAgent(List.of(), 1);
        String key = "routed-" + UUID.randomUUID();

        String id = call(user, "POST", TASKS, body("agentId", first.id().toString(), "parameters", getSum()), key)
                .expectStatus().isAccepted().expectBody(JsonNode.class).returnResult().getResponseBody()
                .get("id").asString();
        // A replay answers the task it made, even once its agent takes no more tasks: it is not routed again.
        agents.setActive(first.id(), false, null).block();
        call(user, "POST", TASKS, body("agentId", first.id().toString(), "parameters", getSum()), key)
                .expectStatus().isAccepted().expectHeader().valueEquals("Idempotent-Replayed", "true")
                .expectBody().jsonPath("$.id").isEqualTo(id);
        ProblemBody.expect(call(user, "POST", TASKS, body("agentId", second.id().toString(), "parameters", getSum()),
                key), 422);
        assertThat(storedTasks(user)).isOne();
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec submit(TestUser user,
            Map<String, Object> body) {
        return call(user, "POST", TASKS, body);
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec call(TestUser user,
            String method, String path, Object body, String idempotencyKey) {
        return web.method(org.springframework.http.HttpMethod.valueOf(method)).uri(path)
                .header("Authorization", "Bearer " + user.token()).header("Idempotency-Key", idempotencyKey)
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    /** The workflow's static summary, as the JSON Temporal recorded. */
    private String summary(String workflowId) {
        Payload summary = client.fetchHistory(workflowId).getHistory().getEvents(0).getUserMetadata().getSummary();
        return "\"" + HistoryPayloads.decode(client, workflowId, summary, String.class) + "\"";
    }

    /** The input the workflow was started with, as JSON, decrypted as Keiko's converter does. */
    private String startInput(String workflowId) {
        HistoryEvent started = client.fetchHistory(workflowId).getHistory().getEvents(0);
        assertThat(started.getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED);
        Payload input = started.getWorkflowExecutionStartedEventAttributes().getInput().getPayloads(0);
        return HistoryPayloads.json(client, workflowId, input);
    }
}
