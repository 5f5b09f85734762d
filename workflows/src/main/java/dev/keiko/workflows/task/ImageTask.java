package dev.keiko.workflows.task;

import dev.keiko.workflows.llm.ImageGenerationInput;
import dev.keiko.workflows.llm.ImageGenerationOutput;
import dev.keiko.workflows.llm.LlmActivities;
import io.temporal.workflow.Workflow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs an {@link TaskTypes#IMAGE} task inside the task workflow: one image generation; the result holds URLs. */
final class ImageTask implements TaskRunner {

    private final StepListener listener;
    private String step;
    private String model;

    ImageTask(StepListener listener) {
        this.listener = listener;
    }

    @Override
    public TaskOutcome run(TaskWorkflowInput input, long startedAt) {
        ImageTaskParameters parameters = ImageTaskParameters.from(input.parameters());
        String name = StepLabels.image(parameters.deployment());
        listener.started(name);
        step = name;
        LlmActivities llm = Workflow.newActivityStub(LlmActivities.class, TaskActivityOptions.imageGeneration(name,
                TaskActivityOptions.agentPolicy(input)));
        ImageGenerationOutput output = llm.generateImage(new ImageGenerationInput(input.taskId(),
                parameters.provider(), parameters.deployment(), parameters.prompt(), parameters.size(),
                TaskActivityOptions.agentId(input)));
        model = output.model();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("urls", output.urls());
        if (output.revisedPrompt() != null) {
            data.put("revisedPrompt", output.revisedPrompt());
        }
        return new TaskOutcome.Completed(data, metadata());
    }

    @Override
    public RunMetadata metadata() {
        return new RunMetadata(step, model, null, List.of());
    }
}
