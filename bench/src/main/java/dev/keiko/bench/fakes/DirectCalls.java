package dev.keiko.bench.fakes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The calls an agent makes, made straight from this JVM without Keiko or Temporal: streamed chat completions against
 * the {@link ModelFake} and MCP {@code tools/call} requests over streamable HTTP against the {@link ToolFake}, on one
 * MCP session opened once (as Keiko's worker keeps one per server) and the JDK's HTTP/1.1 client (as Keiko's
 * OpenAI-compatible provider uses). The orchestration overhead scenario's "plain Java loop".
 */
public final class DirectCalls implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PROTOCOL = "2025-03-26";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String modelBaseUrl;
    private final String model;
    private final String mcpUrl;
    private final AtomicLong ids = new AtomicLong(1);
    private String session;

    public DirectCalls(String modelBaseUrl, String model, String mcpUrl) {
        this.modelBaseUrl = modelBaseUrl;
        this.model = model;
        this.mcpUrl = mcpUrl;
    }

    /**
     * Runs an agent loop: a model call, the one tool call it asks for (on the tool fake, by its function's tool name
     * after {@code __}), its answer back, until the model answers with text; answers the model calls made.
     */
    public int agent(String goal, List<Map<String, Object>> toolDefinitions, int maxSteps) {
        List<Map<String, Object>> messages = new ArrayList<>();
        messages.add(Map.of("role", "user", "content", goal));
        for (int call = 1; call <= maxSteps; call++) {
            JsonNode answer = complete(messages, toolDefinitions);
            JsonNode toolCall = answer.path("toolCall");
            if (toolCall.isMissingNode() || toolCall.isNull()) {
                return call;
            }
            String function = toolCall.path("name").asString();
            String arguments = toolCall.path("arguments").asString();
            String id = toolCall.path("id").asString();
            Map<String, Object> assistant = new LinkedHashMap<>();
            assistant.put("role", "assistant");
            assistant.put("content", null);
            assistant.put("tool_calls", List.of(Map.of("id", id, "type", "function",
                    "function", Map.of("name", function, "arguments", arguments))));
            messages.add(assistant);
            String text = callTool(function.substring(function.indexOf("__") + 2), JSON.readTree(arguments));
            messages.add(Map.of("role", "tool", "tool_call_id", id, "content", text));
        }
        return maxSteps;
    }

    /**
     * One streamed chat completion: answers {@code {"content": text}} or {@code {"toolCall": {id, name, arguments}}}
     * from the server-sent events, read to their end.
     */
    JsonNode complete(List<Map<String, Object>> messages, List<Map<String, Object>> tools) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        body.put("messages", messages);
        if (!tools.isEmpty()) {
            body.put("tools", tools);
        }
        body.put("stream", true);
        body.put("stream_options", Map.of("include_usage", true));
        HttpRequest request = HttpRequest.newBuilder(URI.create(modelBaseUrl + "/chat/completions"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer bench-key")
                .timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        HttpResponse<java.util.stream.Stream<String>> response = send(request, HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("The model answered " + response.statusCode());
        }
        StringBuilder content = new StringBuilder();
        String id = null;
        String name = null;
        StringBuilder arguments = new StringBuilder();
        try (var lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
                    continue;
                }
                for (JsonNode choice : JSON.readTree(line.substring(6)).path("choices")) {
                    JsonNode delta = choice.path("delta");
                    content.append(delta.path("content").asString(""));
                    for (JsonNode call : delta.path("tool_calls")) {
                        if (call.hasNonNull("id")) {
                            id = call.path("id").asString();
                        }
                        JsonNode function = call.path("function");
                        if (function.hasNonNull("name")) {
                            name = function.path("name").asString();
                        }
                        arguments.append(function.path("arguments").asString(""));
                    }
                }
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("content", content.toString());
        if (name != null) {
            answer.put("toolCall", Map.of("id", id == null ? "call" : id, "name", name,
                    "arguments", arguments.toString()));
        }
        return JSON.valueToTree(answer);
    }

    /** One MCP {@code tools/call}; answers the text of its result. */
    public String callTool(String tool, JsonNode arguments) {
        if (session == null) {
            initialize();
        }
        JsonNode result = rpc("tools/call", Map.of("name", tool, "arguments", arguments));
        StringBuilder text = new StringBuilder();
        for (JsonNode part : result.path("result").path("content")) {
            text.append(part.path("text").asString(""));
        }
        if (result.has("error") || result.path("result").path("isError").asBoolean(false)) {
            throw new IllegalStateException("The tool answered an error: " + result);
        }
        return text.toString();
    }

    private void initialize() {
        HttpResponse<String> response = post(Map.of("jsonrpc", "2.0", "id", ids.getAndIncrement(),
                "method", "initialize", "params", Map.of("protocolVersion", PROTOCOL, "capabilities", Map.of(),
                        "clientInfo", Map.of("name", "bench-direct", "version", "1"))), null);
        session = response.headers().firstValue("mcp-session-id")
                .orElseThrow(() -> new IllegalStateException("No MCP session: " + response.body()));
        post(Map.of("jsonrpc", "2.0", "method", "notifications/initialized"), session);
    }

    private JsonNode rpc(String method, Object params) {
        long id = ids.getAndIncrement();
        HttpResponse<String> response = post(Map.of("jsonrpc", "2.0", "id", id, "method", method,
                "params", params), session);
        String body = response.body();
        if (response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
            for (String line : body.split("\n")) {
                if (line.startsWith("data:")) {
                    JsonNode message = JSON.readTree(line.substring(5).trim());
                    if (message.path("id").asLong(-1) == id) {
                        return message;
                    }
                }
            }
            throw new IllegalStateException("No answer to MCP request " + id + ": " + body);
        }
        return JSON.readTree(body);
    }

    private HttpResponse<String> post(Object message, String sessionId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(mcpUrl))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(message)));
        if (sessionId != null) {
            request.header("mcp-session-id", sessionId).header("mcp-protocol-version", PROTOCOL);
        }
        HttpResponse<String> response = send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException("The MCP server answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response;
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
