package dev.keiko.workflows.llm;

import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** LLM activities that answer what a test scripts, one answer (or failure) per call, and keep the requests. */
public class ScriptedLlmActivities implements LlmActivities {

    public final List<ChatCompletionInput> requests = new CopyOnWriteArrayList<>();
    private final Function<Integer, ChatCompletionOutput> answers;

    public ScriptedLlmActivities(Function<Integer, ChatCompletionOutput> answers) {
        this.answers = answers;
    }

    public static ChatCompletionOutput text(String text, long promptTokens, long completionTokens) {
        return new ChatCompletionOutput(text, List.of(), "stop",
                new TokenUsage(promptTokens, completionTokens, promptTokens + completionTokens), "gpt-test");
    }

    public static ChatCompletionOutput toolCalls(List<ToolCallRequest> calls, long promptTokens, long completionTokens) {
        return new ChatCompletionOutput(null, calls, "tool_calls",
                new TokenUsage(promptTokens, completionTokens, promptTokens + completionTokens), "gpt-test");
    }

    public static RuntimeException rateLimited(Duration retryAfter) {
        return ApplicationFailure.newBuilder().setMessage("429 Too Many Requests")
                .setType(LlmFailureTypes.RATE_LIMITED).setNextRetryDelay(retryAfter).build();
    }

    public static RuntimeException failure(String type) {
        return ApplicationFailure.newNonRetryableFailure("provider said no", type);
    }

    @Override
    public ChatCompletionOutput complete(ChatCompletionInput input) {
        requests.add(input);
        return answers.apply(requests.size());
    }

    @Override
    public ImageGenerationOutput generateImage(ImageGenerationInput input) {
        throw new UnsupportedOperationException("no images in these tests");
    }
}
