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
    DELETED,
    /** A task failed for a reason that is the agent's own (its deployment, credential, server or tool). */
    ERROR_ENTERED,
    /** A task of the agent completed, or the agent was changed, after it was in error. */
    ERROR_LEFT;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AgentEventType of(String value) {
        return Arrays.stream(values()).filter(type -> type.value().equals(value)).findFirst().orElseThrow();
    }
}
