package dev.keiko.launcher;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

/** Answers of the Azure OpenAI fake that {@link ObservedSystem} calls as its model. */
final class ModelFake {

    private ModelFake() {
    }

    /** The model asks for {@code everything/echo} once, then answers with 120 + 160 tokens spent. */
    static void agentEchoes(String deployment) {
        String path = "/openai/deployments/" + deployment + "/chat/completions";
        ObservedSystem.MODEL.stubFor(post(urlPathEqualTo(path)).atPriority(5).willReturn(json("""
                {"id": "c1", "object": "chat.completion", "created": 1764150000, "model": "gpt-4o",
                 "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {"role": "assistant",
                   "content": null, "tool_calls": [
                     {"id": "call_echo", "type": "function",
                      "function": {"name": "everything__echo", "arguments": "{\\"message\\": \\"hello\\"}"}}]}}],
                 "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120}}
                """)));
        ObservedSystem.MODEL.stubFor(post(urlPathEqualTo(path)).atPriority(1)
                .withRequestBody(matchingJsonPath("$.messages[?(@.role == 'tool')]"))
                .willReturn(json("""
                        {"id": "c2", "object": "chat.completion", "created": 1764150001, "model": "gpt-4o",
                         "choices": [{"index": 0, "finish_reason": "stop",
                                      "message": {"role": "assistant", "content": "Echoed hello."}}],
                         "usage": {"prompt_tokens": 150, "completion_tokens": 10, "total_tokens": 160}}
                        """)));
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
