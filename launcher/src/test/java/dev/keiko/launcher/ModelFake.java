package dev.keiko.launcher;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

/** Answers of an Azure OpenAI fake: {@link ObservedSystem}'s model unless another is named. */
final class ModelFake {

    private ModelFake() {
    }

    /** The model asks for {@code everything/echo} of "hello" once, then answers with 120 + 160 tokens spent. */
    static void agentEchoes(String deployment) {
        agentEchoes(ObservedSystem.MODEL, deployment, "hello");
    }

    /** The model asks for {@code everything/echo} of the message once, then answers with 120 + 160 tokens spent. */
    static void agentEchoes(WireMockServer model, String deployment, String message) {
        String path = "/openai/deployments/" + deployment + "/chat/completions";
        model.stubFor(post(urlPathEqualTo(path)).atPriority(5).willReturn(json("""
                {"id": "c1", "object": "chat.completion", "created": 1764150000, "model": "gpt-4o",
                 "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {"role": "assistant",
                   "content": null, "tool_calls": [
                     {"id": "call_echo", "type": "function",
                      "function": {"name": "everything__echo", "arguments": "{\\"message\\": \\"%s\\"}"}}]}}],
                 "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120}}
                """.formatted(message))));
        model.stubFor(post(urlPathEqualTo(path)).atPriority(1)
                .withRequestBody(matchingJsonPath("$.messages[?(@.role == 'tool')]"))
                .willReturn(json("""
                        {"id": "c2", "object": "chat.completion", "created": 1764150001, "model": "gpt-4o",
                         "choices": [{"index": 0, "finish_reason": "stop",
                                      "message": {"role": "assistant", "content": "Echoed %s."}}],
                         "usage": {"prompt_tokens": 150, "completion_tokens": 10, "total_tokens": 160}}
                        """.formatted(message))));
    }

    /** The model answers a completion at once, with 12 + 3 tokens spent. */
    static void completes(String deployment) {
        ObservedSystem.MODEL.stubFor(post(urlPathEqualTo("/openai/deployments/" + deployment + "/chat/completions"))
                .willReturn(json("""
                        {"id": "c3", "object": "chat.completion", "created": 1764150002, "model": "gpt-4o",
                         "choices": [{"index": 0, "finish_reason": "stop",
                                      "message": {"role": "assistant", "content": "Done."}}],
                         "usage": {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15}}
                        """)));
    }

    private static ResponseDefinitionBuilder json(String body) {
        return aResponse().withHeader("Content-Type", "application/json").withBody(body);
    }
}
