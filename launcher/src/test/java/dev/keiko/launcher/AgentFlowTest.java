package dev.keiko.launcher;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.keiko.domain.user.Role;
import dev.keiko.launcher.DevSystem.TestUser;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/**
 * An agent end to end: the model (an Azure OpenAI fake) asks for two tools of the reference MCP server
 * at once, the worker runs them, their answers go back, and the model answers.
 */
class AgentFlowTest {

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

    private static ResponseDefinitionBuilder json(int delayMillis, String body) {
        return aResponse().withHeader("Content-Type", "application/json").withFixedDelay(delayMillis).withBody(body);
    }
}
