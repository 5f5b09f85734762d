package dev.keiko.workflows.llm;

/**
 * One image to generate.
 *
 * @param size for example 1024x1024; null for the provider's default
 * @param deployment the image deployment or model; null for the provider's default
 */
public record ImageGenerationInput(String taskId, String provider, String deployment, String prompt, String size) {
}
