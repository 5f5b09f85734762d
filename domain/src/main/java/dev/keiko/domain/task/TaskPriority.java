package dev.keiko.domain.task;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** How urgent a task is; a higher priority is served first when tasks back up. */
public enum TaskPriority {
    LOW(4), NORMAL(3), HIGH(2), CRITICAL(1);

    private final int temporalPriorityKey;

    TaskPriority(int temporalPriorityKey) {
        this.temporalPriorityKey = temporalPriorityKey;
    }

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The Temporal priority key: lower keys are dispatched first. */
    public int temporalPriorityKey() {
        return temporalPriorityKey;
    }

    public static TaskPriority of(String value) {
        return Arrays.stream(values())
                .filter(priority -> priority.value().equals(value))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown task priority '" + value + "'"));
    }
}
