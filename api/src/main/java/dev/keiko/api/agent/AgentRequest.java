package dev.keiko.api.agent;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * The body of {@code POST /api/v1/agents} and of {@code PATCH /api/v1/agents/{id}} (where every field is
 * optional and an absent one keeps its value). Shapes and bounds are checked here (400); limits that
 * depend on configuration and what the tools and models exist in {@link AgentChecks}.
 */
public record AgentRequest(
        @Pattern(regexp = AgentRequest.NAME, message = "must be 1 to 64 lowercase letters, digits, '-' or '_',"
                + " starting with a letter or digit") String name,
        @Pattern(regexp = "llm|tool", message = "must be llm or tool") String type,
        @Size(max = 50) List<@NotNull @Pattern(regexp = AgentRequest.CAPABILITY, message = "must be 1 to 64"
                + " lowercase letters, digits, '.', '_', ':' or '-', starting with a letter or digit")
                String> capabilities,
        @Min(1) Integer timeoutSeconds,
        @Min(1) @Max(AgentRequest.MAX_CONCURRENT_TASKS) Integer maxConcurrentTasks,
        @Valid RetryPolicyRequest retryPolicy,
        @Size(max = 100) List<@NotNull String> tools,
        @Size(max = 100) List<@NotNull String> approvalRequired,
        @Pattern(regexp = "azure|openai", message = "must be azure or openai") String provider,
        @Size(max = 128) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._:/-]*",
                message = "must be letters, digits and . _ : / - (not first)") String deployment,
        @Size(max = AgentRequest.MAX_SYSTEM_PROMPT) String systemPrompt,
        @Min(1) @Max(1000) Integer maxSteps,
        @Min(1) @Max(Integer.MAX_VALUE) Long maxTokensPerTask) {

    /** An agent's name, here and wherever a task names its agent. */
    public static final String NAME = "[a-z0-9][a-z0-9_-]{0,63}";
    /** A capability, here and wherever a task asks for one. */
    public static final String CAPABILITY = "[a-z0-9][a-z0-9._:-]{0,63}";
    static final int MAX_CONCURRENT_TASKS = 1000;
    static final int MAX_SYSTEM_PROMPT = 20_000;
}
