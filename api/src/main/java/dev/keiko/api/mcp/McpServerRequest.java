package dev.keiko.api.mcp;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /api/v1/mcp/servers}: {@code command} (and {@code args}, {@code env}) for a
 * stdio server, or {@code url} (and {@code headers}) for an HTTP one; optionally {@code allowedTools},
 * the tools tasks may call (absent: all), and {@code allowedRoles}, the roles whose tasks may use the
 * server (absent: every role that creates tasks).
 */
public record McpServerRequest(
        @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9_-]{0,63}",
                message = "must be 1 to 64 lowercase letters, digits, '-' or '_', starting with a letter or digit")
        String name,
        String transport,
        String command,
        List<String> args,
        Map<String, String> env,
        String url,
        Map<String, String> headers,
        @Size(max = 1000) List<String> allowedTools,
        @Size(max = 4) List<String> allowedRoles) {
}
