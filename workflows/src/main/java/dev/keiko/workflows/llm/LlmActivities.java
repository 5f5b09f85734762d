package dev.keiko.workflows.llm;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Calls large language models: Azure OpenAI, or any OpenAI-compatible endpoint (OpenAI, Ollama,
 * vLLM, LM Studio, llama.cpp's server). Provider SDK types never cross this interface.
 *
 * <p>Workflows give {@link #complete} a 2 minute start-to-close timeout and {@link #generateImage}
 * 3 minutes, with capped attempts. Failures are classified: {@link LlmFailureTypes#RATE_LIMITED} is
 * retried no sooner than the provider's {@code Retry-After} (the failure carries that next-retry
 * delay); 5xx, connection errors and timeouts are retried with backoff as
 * {@link LlmFailureTypes#PROVIDER_UNAVAILABLE}; bad requests, content-filter refusals, authentication
 * failures and unknown deployments fail at once ({@link LlmFailureTypes#NON_RETRYABLE}).
 * Prompt text is never logged.
 */
@ActivityInterface
public interface LlmActivities {

    /** One chat completion, possibly asking for tool calls. */
    @ActivityMethod
    ChatCompletionOutput complete(ChatCompletionInput input);

    /** One image generation; the output holds URLs, never image bytes. */
    @ActivityMethod
    ImageGenerationOutput generateImage(ImageGenerationInput input);
}
