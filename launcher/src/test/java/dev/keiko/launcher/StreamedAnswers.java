package dev.keiko.launcher;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Makes the model fake stream as the real APIs do: a chat completion stubbed as one JSON answer is sent, to a request
 * that asks for {@code "stream": true}, as server-sent {@code chat.completion.chunk}s: the text a few characters at a
 * time, each tool call's name and then its arguments in pieces, the finish reason, the usage when the request asked for
 * it ({@code stream_options.include_usage}), then {@code [DONE]}. A stub's {@code withChunkedDribbleDelay} spreads the
 * stream over time. Error answers and requests that do not stream pass unchanged.
 */
final class StreamedAnswers implements ResponseDefinitionTransformerV2 {

    static final String NAME = "streamed-answers";
    /** Characters of text per chunk. */
    static final int TEXT_PER_CHUNK = 4;

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final Pattern PIECES = Pattern.compile("(?s).{1," + TEXT_PER_CHUNK + "}");

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        ResponseDefinition answer = serveEvent.getResponseDefinition();
        JsonNode request = json(serveEvent.getRequest().getBodyAsString());
        if (answer.getStatus() >= 300 || request == null || !request.path("stream").asBoolean(false)) {
            return answer;
        }
        JsonNode completion = json(answer.getTextBody());
        if (completion == null || !completion.path("choices").path(0).has("message")) {
            return answer;
        }
        boolean includeUsage = request.path("stream_options").path("include_usage").asBoolean(false);
        return ResponseDefinitionBuilder.like(answer)
                .withHeader("Content-Type", "text/event-stream")
                .withBody(events(completion, includeUsage))
                .build();
    }

    private static String events(JsonNode completion, boolean includeUsage) {
        JsonNode choice = completion.path("choices").path(0);
        JsonNode message = choice.path("message");
        List<ObjectNode> deltas = new ArrayList<>();
        deltas.add(JSON.createObjectNode().put("role", "assistant"));
        if (message.path("content").isString()) {
            Matcher pieces = PIECES.matcher(message.path("content").asString());
            while (pieces.find()) {
                deltas.add(JSON.createObjectNode().put("content", pieces.group()));
            }
        }
        int index = 0;
        for (JsonNode call : message.path("tool_calls")) {
            ObjectNode named = JSON.createObjectNode();
            named.putArray("tool_calls").addObject().put("index", index).put("id", call.path("id").asString())
                    .put("type", "function").putObject("function")
                    .put("name", call.path("function").path("name").asString()).put("arguments", "");
            deltas.add(named);
            Matcher pieces = PIECES.matcher(call.path("function").path("arguments").asString());
            while (pieces.find()) {
                ObjectNode fragment = JSON.createObjectNode();
                fragment.putArray("tool_calls").addObject().put("index", index).putObject("function")
                        .put("arguments", pieces.group());
                deltas.add(fragment);
            }
            index++;
        }
        StringBuilder events = new StringBuilder();
        for (ObjectNode delta : deltas) {
            events.append(event(completion, delta, null));
        }
        events.append(event(completion, JSON.createObjectNode(), choice.path("finish_reason").asString()));
        if (includeUsage && completion.has("usage")) {
            ObjectNode usage = chunk(completion);
            usage.set("usage", completion.path("usage"));
            events.append("data: ").append(JSON.writeValueAsString(usage)).append("\n\n");
        }
        return events.append("data: [DONE]\n\n").toString();
    }

    private static String event(JsonNode completion, ObjectNode delta, String finishReason) {
        ObjectNode chunk = chunk(completion);
        ObjectNode choice = ((ArrayNode) chunk.path("choices")).addObject().put("index", 0);
        choice.set("delta", delta);
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return "data: " + JSON.writeValueAsString(chunk) + "\n\n";
    }

    private static ObjectNode chunk(JsonNode completion) {
        ObjectNode chunk = JSON.createObjectNode()
                .put("id", completion.path("id").asString("chunk"))
                .put("object", "chat.completion.chunk")
                .put("created", completion.path("created").asLong(0))
                .put("model", completion.path("model").asString(""));
        chunk.putArray("choices");
        return chunk;
    }

    private static JsonNode json(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    @Override
    public boolean applyGlobally() {
        return true;
    }

    @Override
    public String getName() {
        return NAME;
    }
}
