package dev.keiko.activities.llm;

import dev.keiko.workflows.llm.ChatCompletionOutput;
import dev.keiko.workflows.llm.LlmFailureTypes;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a chat completion streamed as server-sent events in the chunk format OpenAI and Azure OpenAI share:
 * {@code data:} lines of {@code chat.completion.chunk} JSON (text deltas, tool-call fragments by index, the
 * finish reason, and with {@code include_usage} a last chunk with the usage and no choices), ended by
 * {@code data: [DONE]}. A stream that breaks off before the answer finished, or sends garbage, fails with an
 * {@link IOException} (retried as {@link LlmFailureTypes#PROVIDER_UNAVAILABLE}, the attempt still charged).
 */
final class ChatEventStream {

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final String DONE = "[DONE]";
    // Far above what a model asks for in one answer; an index past it is garbage, not a call.
    private static final int MAX_TOOL_CALLS = 1024;

    private ChatEventStream() {
    }

    /**
     * Reads an answer that comes as an event stream or, from a server that ignores {@code "stream": true}, whole as
     * JSON, whatever its content type says; {@code whole} reads that JSON.
     */
    static void readAnswer(String provider, InputStream body, ChatAnswer answer,
            Function<byte[], ChatCompletionOutput> whole) throws IOException {
        PushbackInputStream in = new PushbackInputStream(body, 1);
        int first = in.read();
        while (first == ' ' || first == '\t' || first == '\r' || first == '\n') {
            first = in.read();
        }
        if (first == '{') {
            in.unread(first);
            answer.whole(whole.apply(in.readAllBytes()));
            return;
        }
        if (first != -1) {
            in.unread(first);
        }
        read(provider, in, answer);
    }

    /** Reads the stream into the answer, until {@code [DONE]} or its end. */
    static void read(String provider, InputStream body, ChatAnswer answer) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        StringBuilder data = new StringBuilder();
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.isEmpty()) {
                if (dispatch(provider, data, answer)) {
                    return;
                }
            } else if (line.startsWith("data:")) {
                // Comments (":"), event names and ids carry nothing a chat completion needs.
                String value = line.substring(line.startsWith("data: ") ? 6 : 5);
                data.append(data.isEmpty() ? "" : "\n").append(value);
            }
        }
        if (!dispatch(provider, data, answer) && !answer.finished()) {
            throw new EOFException(provider + "'s stream ended before its answer did");
        }
    }

    /** Hands one event's data to the answer; answers whether it ended the stream. */
    private static boolean dispatch(String provider, StringBuilder data, ChatAnswer answer) throws IOException {
        String event = data.toString().strip();
        data.setLength(0);
        if (event.isEmpty()) {
            return false;
        }
        if (DONE.equals(event)) {
            return true;
        }
        JsonNode chunk;
        try {
            chunk = JSON.readTree(event);
        } catch (JacksonException e) {
            throw new IOException(provider + " sent a chunk that is not JSON", e);
        }
        if (chunk.path("error").isObject() || chunk.path("error").isString()) {
            throw LlmFailures.brokenOff(provider, ProviderError.parse(500, event));
        }
        chunk(provider, chunk, answer);
        return false;
    }

    private static void chunk(String provider, JsonNode chunk, ChatAnswer answer) throws IOException {
        answer.model(OpenAiJson.text(chunk.path("model")));
        if (chunk.path("usage").isObject()) {
            answer.usage(OpenAiJson.usage(chunk.path("usage")));
        }
        for (JsonNode choice : chunk.path("choices")) {
            if (choice.path("index").asInt(0) != 0) {
                continue;
            }
            JsonNode delta = choice.path("delta");
            answer.text(OpenAiJson.text(delta.path("content")));
            for (JsonNode call : delta.path("tool_calls")) {
                JsonNode function = call.path("function");
                answer.toolCall(index(provider, call.path("index")), OpenAiJson.text(call.path("id")),
                        OpenAiJson.text(function.path("name")), fragment(function.path("arguments")));
            }
            String finishReason = OpenAiJson.text(choice.path("finish_reason"));
            if (finishReason != null) {
                answer.finish(finishReason);
            }
        }
    }

    /** A tool call's index, when the server sends one. */
    private static Integer index(String provider, JsonNode index) throws IOException {
        if (!index.isIntegralNumber()) {
            return null;
        }
        if (index.asLong() < 0 || index.asLong() >= MAX_TOOL_CALLS) {
            throw new IOException(provider + " sent tool call index " + index.asString() + ", outside 0 to "
                    + (MAX_TOOL_CALLS - 1));
        }
        return index.asInt();
    }

    /** A piece of the arguments' JSON text; some servers send the arguments whole, as an object. */
    private static String fragment(JsonNode arguments) {
        if (arguments.isMissingNode() || arguments.isNull()) {
            return null;
        }
        return arguments.isString() ? arguments.stringValue() : JSON.writeValueAsString(arguments);
    }
}
