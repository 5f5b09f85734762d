package dev.keiko.workflows.task;

import dev.keiko.workflows.llm.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parameters of a {@link TaskTypes#COMPLETION} task: {@code messages} (a list of
 * {@code {"role", "content"}}) or {@code prompt}, and optionally {@code system}, {@code provider},
 * {@code deployment}, {@code temperature} and {@code maxTokens}.
 */
public record CompletionTaskParameters(
        List<ChatMessage> messages, String provider, String deployment, Double temperature, Integer maxTokens) {

    private static final Set<String> ROLES = Set.of("system", "user", "assistant");

    /** Reads the parameters; throws {@link InvalidParametersException} when they do not fit. */
    public static CompletionTaskParameters from(Map<String, Object> parameters) {
        ParameterReader reader = new ParameterReader(parameters);
        List<ChatMessage> messages = new ArrayList<>();
        String system = reader.optionalString("system");
        if (system != null && !system.isBlank()) {
            messages.add(ChatMessage.system(system));
        }
        List<?> given = reader.optionalList("messages");
        String prompt = reader.optionalString("prompt");
        if ((given == null) == (prompt == null)) {
            throw new InvalidParametersException("A completion task needs either 'parameters.messages' or"
                    + " 'parameters.prompt', not both");
        }
        if (prompt != null) {
            if (prompt.isBlank()) {
                throw new InvalidParametersException("'parameters.prompt' must not be blank");
            }
            messages.add(ChatMessage.user(prompt));
        } else {
            for (int i = 0; i < given.size(); i++) {
                messages.add(message(given.get(i), i));
            }
            if (given.isEmpty()) {
                throw new InvalidParametersException("'parameters.messages' must not be empty");
            }
        }
        return new CompletionTaskParameters(List.copyOf(messages), provider(reader),
                reader.optionalString("deployment"), reader.optionalNumber("temperature", 0, 2),
                reader.optionalInteger("maxTokens", 1, 1_000_000));
    }

    static String provider(ParameterReader reader) {
        String provider = reader.optionalString("provider");
        if (provider != null && !Set.of("azure", "openai").contains(provider)) {
            throw new InvalidParametersException("'parameters.provider' must be azure or openai");
        }
        return provider;
    }

    private static ChatMessage message(Object value, int index) {
        String at = "'parameters.messages[" + index + "]'";
        if (!(value instanceof Map<?, ?> map) || !(map.get("role") instanceof String role)
                || !(map.get("content") instanceof String content)) {
            throw new InvalidParametersException(at + " must be an object with the strings 'role' and 'content'");
        }
        if (!ROLES.contains(role)) {
            throw new InvalidParametersException(at + ".role must be system, user or assistant");
        }
        return new ChatMessage(role, content, List.of(), null);
    }
}
