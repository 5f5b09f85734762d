package dev.keiko.workflows.task;

import dev.keiko.workflows.llm.ImageGenerationInput;
import dev.keiko.workflows.llm.ImageGenerationOutput;
import dev.keiko.workflows.llm.LlmActivities;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** Runs an {@link TaskTypes#IMAGE} task inside the task workflow: one image generation; the result holds URLs. */
final class ImageTask {

    private final Consumer<String> step;

    ImageTask(Consumer<String> step) {
        this.step = step;
    }

    Map<String, Object> run(TaskWorkflowInput input, Map<String, Object> metadata) {
        ImageTaskParameters parameters = ImageTaskParameters.from(input.parameters());
        String name = "image: " + (parameters.deployment() != null ? parameters.deployment() : "default");
        step.accept(name);
        metadata.put("step", name);
        LlmActivities llm = Workflow.newActivityStub(LlmActivities.class,
                CompletionTask.options(name, Duration.ofMinutes(3), 4));
        ImageGenerationOutput output = llm.generateImage(new ImageGenerationInput(input.taskId(),
                parameters.provider(), parameters.deployment(), parameters.prompt(), parameters.size()));
        metadata.put("model", output.model());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("urls", output.urls());
        if (output.revisedPrompt() != null) {
            data.put("revisedPrompt", output.revisedPrompt());
        }
        return data;
    }
}
