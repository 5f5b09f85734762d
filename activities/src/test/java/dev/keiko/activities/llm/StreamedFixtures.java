package dev.keiko.activities.llm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The whole answers of {@code llm/} as a provider streams them: {@code chat.completion.chunk}s carrying the text in
 * small pieces and each tool call in fragments by index (id, type and name with the first only), a chunk with the
 * finish reason, and, as {@code include_usage} asks, a last chunk with the usage and no choices. Azure's streams open
 * with a chunk of prompt filter results and no model.
 */
final class StreamedFixtures {

    static final int TEXT_PIECE = 4;
    static final int ARGUMENTS_PIECE = 7;

    private static final JsonMapper JSON = JsonMapper.shared();

    private StreamedFixtures() {
    }

    /** The fixture's answer as chunks, with the usage chunk or without it. */
    static List<String> chunks(String resource, boolean azure, boolean withUsage) {
        return chunks(JSON.readTree(LlmFakes.read(resource)), azure, withUsage, TEXT_PIECE);
    }

    /** An OpenAI answer of that text, as chunks of {@code piece} characters with a usage chunk. */
    static List<String> textChunks(String text, int piece) {
        ObjectNode answer = JSON.createObjectNode().put("id", "chatcmpl-1").put("created", 1731600020)
                .put("model", "gpt-4o-mini-2024-07-18");
        answer.putArray("choices").addObject().put("finish_reason", "stop").putObject("message")
                .put("content", text);
        answer.putObject("usage").put("prompt_tokens", 24).put("completion_tokens", (text.length() + 3) / 4)
                .put("total_tokens", 24 + (text.length() + 3) / 4);
        return chunks(answer, false, true, piece);
    }

    private static List<String> chunks(JsonNode answer, boolean azure, boolean withUsage, int textPiece) {
        JsonNode choice = answer.path("choices").path(0);
        JsonNode message = choice.path("message");
        List<String> chunks = new ArrayList<>();
        if (azure) {
            chunks.add("{\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\","
                    + "\"prompt_filter_results\":[{\"prompt_index\":0,\"content_filter_results\":{}}]}");
        }
        chunks.add(chunk(answer, delta -> delta.put("role", "assistant").put("content", ""), null));
        String content = message.path("content").isString() ? message.path("content").stringValue() : "";
        for (String piece : pieces(content, textPiece)) {
            chunks.add(chunk(answer, delta -> delta.put("content", piece), null));
        }
        int index = 0;
        for (JsonNode call : message.path("tool_calls")) {
            int at = index++;
            JsonNode function = call.path("function");
            chunks.add(chunk(answer, delta -> delta.putArray("tool_calls").addObject().put("index", at)
                    .put("id", call.path("id").stringValue()).put("type", "function").putObject("function")
                    .put("name", function.path("name").stringValue()).put("arguments", ""), null));
            for (String piece : pieces(function.path("arguments").stringValue(), ARGUMENTS_PIECE)) {
                chunks.add(chunk(answer, delta -> delta.putArray("tool_calls").addObject().put("index", at)
                        .putObject("function").put("arguments", piece), null));
            }
        }
        chunks.add(chunk(answer, delta -> { }, choice.path("finish_reason").stringValue()));
        if (withUsage) {
            ObjectNode last = header(answer);
            last.putArray("choices");
            last.set("usage", answer.path("usage"));
            chunks.add(JSON.writeValueAsString(last));
        }
        return chunks;
    }

    /** The chunks as a server-sent event stream, ended by {@code [DONE]}. */
    static String events(List<String> chunks) {
        StringBuilder events = new StringBuilder();
        chunks.forEach(chunk -> events.append("data: ").append(chunk).append("\n\n"));
        return events.append("data: [DONE]\n\n").toString();
    }

    /** An event stream, sent in pieces over {@code millis}. */
    static ResponseDefinitionBuilder stream(String events, int pieces, int millis) {
        return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
                .withBody(events).withChunkedDribbleDelay(pieces, millis);
    }

    private static String chunk(JsonNode answer, Consumer<ObjectNode> delta, String finishReason) {
        ObjectNode chunk = header(answer);
        ArrayNode choices = chunk.putArray("choices");
        ObjectNode choice = choices.addObject().put("index", 0);
        delta.accept(choice.putObject("delta"));
        if (finishReason != null) {
            choice.put("finish_reason", finishReason);
        } else {
            choice.putNull("finish_reason");
        }
        chunk.putNull("usage");
        return JSON.writeValueAsString(chunk);
    }

    private static ObjectNode header(JsonNode answer) {
        return JSON.createObjectNode().put("id", answer.path("id").stringValue())
                .put("object", "chat.completion.chunk").put("created", answer.path("created").asLong())
                .put("model", answer.path("model").stringValue());
    }

    static List<String> pieces(String text, int size) {
        List<String> pieces = new ArrayList<>();
        for (int start = 0; start < text.length(); start += size) {
            pieces.add(text.substring(start, Math.min(text.length(), start + size)));
        }
        return pieces;
    }
}
