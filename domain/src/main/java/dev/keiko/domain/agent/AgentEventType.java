package dev.keiko.domain.agent;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** What happened to an agent, as its audit trail records it. */
public enum AgentEventType {
    CREATED,
    UPDATED,
    ACTIVATED,
    DEACTIVATED,
    DELETED;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AgentEventType of(String value) {
        return Arrays.stream(values()).filter(type -> type.value().equals(value)).findFirst().orElseThrow();
    }
}
