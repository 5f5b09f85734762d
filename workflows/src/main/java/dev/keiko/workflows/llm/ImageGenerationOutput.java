package dev.keiko.workflows.llm;

import java.util.List;

/** Where the generated images are, and the prompt as the provider revised it (null when it did not). */
public record ImageGenerationOutput(List<String> urls, String revisedPrompt, String model) {
}
