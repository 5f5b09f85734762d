package dev.keiko.workflows.task;

import java.util.Map;

/** The parameters of an {@link TaskTypes#IMAGE} task: {@code prompt}, and optionally {@code size}, {@code provider}, {@code deployment}. */
public record ImageTaskParameters(String prompt, String size, String provider, String deployment) {

    /** Reads the parameters; throws {@link InvalidParametersException} when they do not fit. */
    public static ImageTaskParameters from(Map<String, Object> parameters) {
        ParameterReader reader = new ParameterReader(parameters);
        String size = reader.optionalString("size");
        if (size != null && !size.matches("\\d{2,5}x\\d{2,5}")) {
            throw new InvalidParametersException("'parameters.size' must look like 1024x1024");
        }
        return new ImageTaskParameters(reader.requiredString("prompt", "what to draw"), size,
                CompletionTaskParameters.provider(reader), reader.optionalString("deployment"));
    }
}
