package dev.keiko.workflows.llm;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One image to generate.
 *
 * @param size for example 1024x1024; null for the provider's default
 * @param deployment the image deployment or model; null for the provider's default
 * @param agentId the id of the agent the task was routed to, for metrics; null for a task outside any agent,
 *     and in calls of workflows from before it was passed on
 */
public record ImageGenerationInput(String taskId, String provider, String deployment, String prompt, String size,
        // Left out when null, so that the calls of tasks outside any agent read as before.
        @JsonInclude(JsonInclude.Include.NON_NULL) String agentId) {

    /** An image of a task outside any agent. */
    public ImageGenerationInput(String taskId, String provider, String deployment, String prompt, String size) {
        this(taskId, provider, deployment, prompt, size, null);
    }
}
