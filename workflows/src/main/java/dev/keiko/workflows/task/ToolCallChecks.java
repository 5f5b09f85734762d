package dev.keiko.workflows.task;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.keiko.workflows.llm.ToolCallRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks the tool calls of one model answer before any of them runs, so that output the workflow cannot
 * use (no function name, arguments that are not a JSON object, an unknown tool, too many calls) goes back
 * to the model as the tool's answer instead of failing the workflow. Ids are made unique and short: a call
 * without an id, with one over {@link #MAX_ID_LENGTH} characters, or with one an earlier call of the answer
 * used, gets {@code keiko-<model call>-<tool call>}, with a suffix when another call of the answer already
 * uses that id. Ids go only into messages and activity inputs, never into commands: no version is needed.
 */
final class ToolCallChecks {

    /** How many tool calls of one answer run; the model is told that the rest were not made. */
    static final int MAX_CALLS_PER_ANSWER = 32;
    /** The function name an assistant message carries for a call the model sent without one. */
    static final String UNNAMED = "unnamed";
    static final int MAX_ID_LENGTH = 128;
    private static final int MAX_QUOTED = 64;
    private static final JsonMapper JSON =
            JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private ToolCallChecks() {
    }

    static List<CheckedToolCall> check(int modelCall, List<ToolCallRequest> requested, AgentTools tools) {
        List<CheckedToolCall> checked = new ArrayList<>();
        // Every id the answer uses, so that a made id never takes one the model gave another call.
        Set<String> used = new HashSet<>();
        requested.stream().map(ToolCallRequest::id).filter(ToolCallChecks::usable).forEach(used::add);
        Set<String> given = new HashSet<>();
        for (int index = 1; index <= requested.size(); index++) {
            ToolCallRequest call = requested.get(index - 1);
            String id = usable(call.id()) && given.add(call.id()) ? call.id() : madeId(modelCall, index, used);
            given.add(id);
            boolean named = call.name() != null && !call.name().isBlank();
            String arguments = call.argumentsJson() == null || call.argumentsJson().isBlank()
                    ? ToolCallRequest.NO_ARGUMENTS : call.argumentsJson();
            ToolCallRequest request = new ToolCallRequest(id, named ? call.name() : UNNAMED, arguments);
            checked.add(new CheckedToolCall(request, "step" + modelCall + "-" + index,
                    refusal(index, requested.size(), named, request, tools)));
        }
        return checked;
    }

    private static boolean usable(String id) {
        return id != null && !id.isBlank() && id.length() <= MAX_ID_LENGTH;
    }

    /** {@code keiko-<model call>-<tool call>}, with a suffix when the answer already uses that; then used too. */
    private static String madeId(int modelCall, int index, Set<String> used) {
        String base = "keiko-" + modelCall + "-" + index;
        String id = base;
        for (int suffix = 2; !used.add(id); suffix++) {
            id = base + "-" + suffix;
        }
        return id;
    }

    private static String refusal(int index, int calls, boolean named, ToolCallRequest request, AgentTools tools) {
        if (index > MAX_CALLS_PER_ANSWER) {
            return "Error: the answer asked for " + calls + " tool calls and at most " + MAX_CALLS_PER_ANSWER
                    + " run per answer; this one was not made";
        }
        if (!named) {
            return "Error: the tool call names no function; call one of the offered functions by its name";
        }
        if (tools.target(request.name()) == null) {
            return "Error: there is no tool named '" + quoted(request.name()) + "'";
        }
        String problem = argumentsProblem(request.argumentsJson());
        return problem.isEmpty() ? "" : "Error: the arguments " + problem + "; send them as one JSON object";
    }

    /** What is wrong with the arguments, or empty when they are a JSON object. */
    private static String argumentsProblem(String argumentsJson) {
        try {
            JsonNode arguments = JSON.readTree(argumentsJson);
            return arguments != null && arguments.isObject() ? "" : "are JSON but not an object";
        } catch (JacksonException e) {
            return "are not JSON";
        }
    }

    private static String quoted(String text) {
        return text.length() <= MAX_QUOTED ? text : text.substring(0, MAX_QUOTED) + "…";
    }
}
