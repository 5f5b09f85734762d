package dev.keiko.api.task;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.Map;

/** The body of {@code POST /api/v1/tasks}. Priority defaults to normal, the timeout to the configured default. */
public record TaskRequest(
        @NotBlank @Size(max = 64) String type,
        Map<String, Object> parameters,
        String priority,
        @Positive Long timeoutSeconds) {
}
