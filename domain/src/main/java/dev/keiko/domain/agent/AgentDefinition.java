package dev.keiko.domain.agent;

import java.util.List;

/**
 * What an agent's owner sets: its name, type, capabilities, limits, retries and tools ({@code server} or
 * {@code server/tool}); for {@code llm} agents also the model, system prompt, steps and tokens per task,
 * which are null for {@code tool} agents.
 */
public record AgentDefinition(
        String name,
        AgentType type,
        List<String> capabilities,
        int timeoutSeconds,
        int maxConcurrentTasks,
        AgentRetryPolicy retryPolicy,
        List<String> tools,
        List<String> approvalRequired,
        String provider,
        String deployment,
        String systemPrompt,
        Integer maxSteps,
        Long maxTokensPerTask) {

    public static final int DEFAULT_TIMEOUT_SECONDS = 300;
    public static final int DEFAULT_MAX_CONCURRENT_TASKS = 1;

    public AgentDefinition {
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        tools = tools == null ? List.of() : List.copyOf(tools);
        approvalRequired = approvalRequired == null ? List.of() : List.copyOf(approvalRequired);
        retryPolicy = retryPolicy == null ? AgentRetryPolicy.DEFAULT : retryPolicy;
    }
}
