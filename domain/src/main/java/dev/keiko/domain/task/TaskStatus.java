package dev.keiko.domain.task;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** Where a task is in its lifecycle: pending → running → completed | failed | cancelled. */
public enum TaskStatus {
    PENDING, RUNNING, COMPLETED, FAILED, CANCELLED;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    /** Answers the status of that lowercase name. */
    public static TaskStatus of(String value) {
        return Arrays.stream(values())
                .filter(status -> status.value().equals(value))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown task status '" + value + "'"));
    }
}
