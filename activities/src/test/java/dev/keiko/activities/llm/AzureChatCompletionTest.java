package dev.keiko.activities.llm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.keiko.activities.llm.LlmFakes.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.keiko.domain.llm.LlmProperties;
import dev.keiko.workflows.llm.ChatCompletionInput;
import dev.keiko.workflows.llm.ChatCompletionOutput;
import dev.keiko.workflows.llm.ChatMessage;
import dev.keiko.workflows.llm.TokenUsage;
import dev.keiko.workflows.llm.ToolCallRequest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Chat completions against a fake Azure OpenAI that speaks its wire format, over plain HTTP. */
class AzureChatCompletionTest extends FakeProviderTest {

    @RegisterExtension
    static final WireMockExtension azure = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort()).build();

    @Override
    LlmProperties properties() {
        return LlmFakes.azure(azure.baseUrl());
    }

    @Test
    void answersWithUsageSendingTheApiKeyHeaderOverPlainHttp() {
        azure.stubFor(post(urlPathEqualTo(LlmFakes.AZURE_CHAT)).willReturn(json(200, "azure-chat-answer.json")));

        ChatCompletionOutput output = environment.activities().complete(LlmFakes.question());

        assertThat(output).isEqualTo(new ChatCompletionOutput("Paris is the capital of France.", List.of(), "stop",
                new TokenUsage(25, 8, 33), "gpt-4o-2024-08-06"));
        azure.verify(postRequestedFor(urlPathEqualTo(LlmFakes.AZURE_CHAT))
                .withQueryParam("api-version", equalTo(LlmFakes.API_VERSION))
                .withHeader("api-key", equalTo(LlmFakes.AZURE_KEY))
                .withoutHeader("Authorization")
                .withRequestBody(matchingJsonPath("$.messages[0].role", equalTo("system")))
                .withRequestBody(matchingJsonPath("$.messages[1].content", equalTo("What is the capital of France?")))
                .withRequestBody(matchingJsonPath("$.temperature", equalTo("0.2")))
                .withRequestBody(matchingJsonPath("$.max_tokens", equalTo("100"))));
    }

    @Test
    void offersToolsAndReturnsTheToolCall() {
        azure.stubFor(post(urlPathEqualTo(LlmFakes.AZURE_CHAT)).willReturn(json(200, "azure-chat-tool-call.json")));

        ChatCompletionOutput output = environment.activities().complete(LlmFakes.withTools());

        assertThat(output.content()).isNull();
        assertThat(output.finishReason()).isEqualTo("tool_calls");
        assertThat(output.toolCalls()).containsExactly(new ToolCallRequest("call_Vx6SLn0uMHx1LVNaJxSyPq3L",
                "get_weather", "{\"city\":\"Paris\",\"unit\":\"celsius\"}"));
        azure.verify(postRequestedFor(urlPathEqualTo(LlmFakes.AZURE_CHAT))
                .withRequestBody(matchingJsonPath("$.tools[0].type", equalTo("function")))
                .withRequestBody(matchingJsonPath("$.tools[0].function.name", equalTo("get_weather")))
                .withRequestBody(matchingJsonPath("$.tools[0].function.parameters", equalToJson("{\"type\":\"object\","
                        + "\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}"))));
    }

    @Test
    void toolCallsWithoutFunctionOrArgumentsComeBackForTheWorkflowToCheck() {
        azure.stubFor(post(urlPathEqualTo(LlmFakes.AZURE_CHAT)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"id": "c", "object": "chat.completion", "created": 1764150000, "model": "gpt-4o",
                         "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {"role": "assistant",
                           "content": null, "tool_calls": [{"id": "call_1", "type": "function"},
                             {"type": "function", "function": {"name": "get_time"}}]}}],
                         "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}}
                        """)));

        ChatCompletionOutput output = environment.activities().complete(LlmFakes.withTools());

        assertThat(output.toolCalls()).containsExactly(new ToolCallRequest("call_1", null, "{}"),
                new ToolCallRequest(null, "get_time", "{}"));
    }

    @Test
    void returnsSeveralToolCallsWithTheirArgumentsAsSent() {
        azure.stubFor(post(urlPathEqualTo(LlmFakes.AZURE_CHAT)).willReturn(json(200, "azure-chat-tool-calls.json")));

        ChatCompletionOutput output = environment.activities().complete(LlmFakes.withTools());

        assertThat(output.toolCalls()).extracting(ToolCallRequest::id, ToolCallRequest::name,
                ToolCallRequest::argumentsJson).containsExactly(
                tuple("call_1nK2bRmrA8Yy0hQh3sT6Wl9D", "get_weather", "{\"city\":\"Paris\",\"unit\":\"celsius\"}"),
                tuple("call_9dFq3xK1pLsR8vT2nB7mZ4cY", "get_weather", "{\"city\":\"Tokyo\",\"unit\":\"celsius\"}"),
                tuple("call_4hGt7yUi0oPq2wEr5tYu8iOp", "search_flights",
                        "{\"query\":\"flights \\\"CDG\\\" to HND\",\"filters\":{\"stops\":[0,1],\"cabin\":null}}"));
        assertThat(output.usage()).isEqualTo(new TokenUsage(120, 71, 191));
    }

    @Test
    void sendsTheToolCallsAndToolAnswersOfEarlierTurns() {
        azure.stubFor(post(urlPathEqualTo(LlmFakes.AZURE_CHAT)).willReturn(json(200, "azure-chat-answer.json")));
        ToolCallRequest call = new ToolCallRequest("call_1", "get_weather", "{\"city\":\"Paris\"}");
        ChatCompletionInput input = new ChatCompletionInput("task-1", null, null, List.of(
                ChatMessage.user("What is the weather in Paris?"),
                new ChatMessage("assistant", null, List.of(call), null),
                ChatMessage.tool("call_1", "18 degrees, sunny")), List.of(LlmFakes.WEATHER), null, null);

        environment.activities().complete(input);

        azure.verify(postRequestedFor(urlPathEqualTo(LlmFakes.AZURE_CHAT))
                .withRequestBody(matchingJsonPath("$.messages[1].role", equalTo("assistant")))
                .withRequestBody(matchingJsonPath("$.messages[1].tool_calls[0].id", equalTo("call_1")))
                .withRequestBody(matchingJsonPath("$.messages[1].tool_calls[0].function.arguments",
                        equalTo("{\"city\":\"Paris\"}")))
                .withRequestBody(matchingJsonPath("$.messages[2].role", equalTo("tool")))
                .withRequestBody(matchingJsonPath("$.messages[2].tool_call_id", equalTo("call_1")))
                .withRequestBody(matchingJsonPath("$.messages[2].content", equalTo("18 degrees, sunny"))));
    }

    @Test
    void usesTheDeploymentTheCallNames() {
        azure.stubFor(post(urlPathEqualTo("/openai/deployments/gpt-4o-mini/chat/completions"))
                .willReturn(json(200, "azure-chat-answer.json")));
        ChatCompletionInput question = LlmFakes.question();
        ChatCompletionInput input = new ChatCompletionInput(question.taskId(), "azure", "gpt-4o-mini",
                question.messages(), question.tools(), null, null);

        assertThat(environment.activities().complete(input).content()).isEqualTo("Paris is the capital of France.");
    }
}
