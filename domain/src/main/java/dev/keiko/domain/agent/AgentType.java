package dev.keiko.domain.agent;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** What an agent is: a model with tools ({@code llm}), or one that only runs MCP tools ({@code tool}). */
public enum AgentType {
    LLM,
    TOOL;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AgentType of(String value) {
        return Arrays.stream(values()).filter(type -> type.value().equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown agent type '" + value + "': use llm or tool"));
    }
}
