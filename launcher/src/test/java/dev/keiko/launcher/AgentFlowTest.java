package dev.keiko.launcher;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.keiko.domain.user.Role;
import dev.keiko.launcher.DevSystem.TestUser;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An agent end to end: the model (an Azure OpenAI fake) asks for two tools of the reference MCP server
 * at once, the worker runs them, their answers go back, and the model answers.
 */
class AgentFlowTest {

    /** The deployment of the agent whose tools are limited to {@code everything/echo}. */
    static final String LIMITED_DEPLOYMENT = "agent-limited-tools";

    @Test
    void anAgentUsesMcpToolsUntilTheModelAnswers() throws Exception {
        DevSystem system = DevSystem.shared();
        TestUser user = system.user(Role.USER);
        String deployment = "agent-flow";
        String path = "/openai/deployments/" + deployment + "/chat/completions";
        DevSystem.AZURE_OPENAI.stubFor(post(urlPathEqualTo(path)).atPriority(5)
                .willReturn(json(1500, """
                        {"id": "c1", "object": "chat.completion", "created": 1764150000, "model": "gpt-4o",
                         "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {"role": "assistant",
                           "content": null, "tool_calls": [
                             {"id": "call_echo", "type": "function",
                              "function": {"name": "everything__echo", "arguments": "{\\"message\\": \\"hello\\"}"}},
                             {"id": "call_sum", "type": "function",
                              "function": {"name": "everything__get-sum", "arguments": "{\\"a\\": 2, \\"b\\": 3}"}}]}}],
                         "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120}}
                        """)));
        DevSystem.AZURE_OPENAI.stubFor(post(urlPathEqualTo(path)).atPriority(1)
                .withRequestBody(matchingJsonPath("$.messages[?(@.role == 'tool')]"))
                .willReturn(json(0, """
                        {"id": "c2", "object": "chat.completion", "created": 1764150001, "model": "gpt-4o",
                         "choices": [{"index": 0, "finish_reason": "stop",
                                      "message": {"role": "assistant", "content": "Echoed hello; 2 + 3 = 5."}}],
                         "usage": {"prompt_tokens": 150, "completion_tokens": 10, "total_tokens": 160}}
                        """)));

        String id = (String) system.web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, user.bearer())
                .bodyValue(Map.of("type", "agent", "parameters", Map.of("goal", "Echo hello and add 2 and 3",
                        "tools", List.of("everything/echo", "everything/get-sum"), "deployment", deployment,
                        "maxSteps", 4)))
                .exchange().expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");

        // The first model call takes 1.5 s: time enough to follow the task from its start.
        List<String> progress = system.progressMessages(user, id).get(60, TimeUnit.SECONDS);
        assertThat(progress).anySatisfy(message -> assertThat(message).startsWith("llm: " + deployment + " answered"))
                .anySatisfy(message -> assertThat(message).startsWith("tool: everything/echo answered"))
                .anySatisfy(message -> assertThat(message).startsWith("tool: everything/get-sum answered"));

        Map<?, ?> task = TaskFlowTest.awaitStatus(system.web, user, id, "completed", Duration.ofSeconds(60));
        Map<?, ?> result = (Map<?, ?>) task.get("result");
        Map<?, ?> data = (Map<?, ?>) result.get("data");
        assertThat(data.get("answer")).isEqualTo("Echoed hello; 2 + 3 = 5.");
        assertThat((List<?>) data.get("steps")).extracting(step -> (Object) ((Map<?, ?>) step).get("kind"))
                .containsExactly("llm", "tool", "tool", "llm");
        assertThat(((Map<?, ?>) result.get("metadata")).get("tokens"))
                .isEqualTo(Map.of("prompt", 250, "completion", 30, "total", 280));
        DevSystem.AZURE_OPENAI.verify(postRequestedFor(urlPathEqualTo(path))
                .withRequestBody(matchingJsonPath("$.tools[0].function.name", equalTo("everything__echo")))
                .withRequestBody(matchingJsonPath("$.messages[?(@.tool_call_id == 'call_echo')].content",
                        equalTo("Echo: hello")))
                .withRequestBody(matchingJsonPath("$.messages[?(@.tool_call_id == 'call_sum')].content",
                        equalTo("The sum of 2 and 3 is 5."))));
    }

    /**
     * A registered agent whose tools are {@code everything/echo} alone gets a task routed to it by name; its
     * model asks for that tool and for {@code everything/get-sum}, a real tool of the same server that the
     * server allows but the agent does not. The echo runs; the sum is never called (no tool call activity is
     * scheduled for it) and its refusal goes back to the model as the call's answer, as data.
     */
    @Test
    void aToolOfAnAllowedServerOutsideItsAgentsToolsIsRefusedWithoutBeingCalled() {
        DevSystem system = DevSystem.shared();
        TestUser operator = system.user(Role.OPERATOR);
        TestUser user = system.user(Role.USER);
        String path = "/openai/deployments/" + LIMITED_DEPLOYMENT + "/chat/completions";
        DevSystem.AZURE_OPENAI.stubFor(post(urlPathEqualTo(path)).atPriority(5)
                .willReturn(json(0, """
                        {"id": "c1", "object": "chat.completion", "created": 1764150000, "model": "gpt-4o",
                         "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {"role": "assistant",
                           "content": null, "tool_calls": [
                             {"id": "call_echo", "type": "function",
                              "function": {"name": "everything__echo", "arguments": "{\\"message\\": \\"hello\\"}"}},
                             {"id": "call_sum", "type": "function",
                              "function": {"name": "everything__get-sum", "arguments": "{\\"a\\": 2, \\"b\\": 3}"}}]}}],
                         "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120}}
                        """)));
        DevSystem.AZURE_OPENAI.stubFor(post(urlPathEqualTo(path)).atPriority(1)
                .withRequestBody(matchingJsonPath("$.messages[?(@.role == 'tool')]"))
                .willReturn(json(0, """
                        {"id": "c2", "object": "chat.completion", "created": 1764150001, "model": "gpt-4o",
                         "choices": [{"index": 0, "finish_reason": "stop",
                                      "message": {"role": "assistant", "content": "Echoed hello; no sum."}}],
                         "usage": {"prompt_tokens": 150, "completion_tokens": 10, "total_tokens": 160}}
                        """)));
        String name = "echo-only-" + UUID.randomUUID().toString().substring(0, 8);
        String agentId = (String) system.web.post().uri("/api/v1/agents")
                .header(HttpHeaders.AUTHORIZATION, operator.bearer())
                .bodyValue(Map.of("name", name, "type", "llm", "tools", List.of("everything/echo"),
                        "deployment", LIMITED_DEPLOYMENT, "maxSteps", 4))
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
        system.web.post().uri("/api/v1/agents/{id}/activate", agentId)
                .header(HttpHeaders.AUTHORIZATION, operator.bearer()).exchange().expectStatus().isOk();

        Map<?, ?> submitted = system.web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, user.bearer())
                .bodyValue(Map.of("agent", name, "parameters", Map.of("goal", "Echo hello and add 2 and 3")))
                .exchange().expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody();
        String id = (String) submitted.get("id");
        assertThat(((Map<?, ?>) submitted.get("agent")).get("id")).isEqualTo(agentId);

        Map<?, ?> task = TaskFlowTest.awaitStatus(system.web, user, id, "completed", Duration.ofSeconds(60));
        Map<?, ?> data = (Map<?, ?>) ((Map<?, ?>) task.get("result")).get("data");
        assertThat(data.get("answer")).isEqualTo("Echoed hello; no sum.");
        assertThat((List<?>) data.get("steps")).extracting(step -> (Object) ((Map<?, ?>) step).get("name"))
                .containsExactly("llm: " + LIMITED_DEPLOYMENT + " step 1", "tool: everything/echo",
                        "llm: " + LIMITED_DEPLOYMENT + " step 2");
        // One tool call was made, the echo's: the sum never reached a worker, let alone the server.
        assertThat(system.api.getBean(WorkflowClient.class).fetchHistory((String) submitted.get("workflowId"))
                .getEvents().stream()
                .filter(event -> event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
                        && event.getActivityTaskScheduledEventAttributes().getActivityType().getName()
                                .equals("CallTool")))
                .hasSize(1);

        // The model was offered the echo alone, and heard the echo's answer and the sum's refusal.
        JsonMapper mapper = JsonMapper.builder().build();
        List<JsonNode> prompts = DevSystem.AZURE_OPENAI.findAll(postRequestedFor(urlPathEqualTo(path))).stream()
                .map(LoggedRequest::getBodyAsString).map(mapper::readTree).toList();
        assertThat(prompts).hasSize(2).allSatisfy(prompt -> assertThat(prompt.get("tools").valueStream()
                .map(tool -> tool.get("function").get("name").asString())).containsExactly("everything__echo"));
        assertThat(prompts.get(1).get("messages").valueStream().filter(message -> message.has("tool_call_id"))
                .map(message -> message.get("tool_call_id").asString() + " -> " + message.get("content").asString()))
                .containsExactly("call_echo -> Echo: hello",
                        "call_sum -> Error: there is no tool named 'everything__get-sum'");
    }

    private static ResponseDefinitionBuilder json(int delayMillis, String body) {
        return aResponse().withHeader("Content-Type", "application/json").withFixedDelay(delayMillis).withBody(body);
    }
}
