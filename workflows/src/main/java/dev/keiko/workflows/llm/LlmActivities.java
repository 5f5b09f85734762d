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
 *
 * <p>A chat completion that {@linkplain ChatCompletionInput#chargesOwner() charges its owner} reserves its
 * tokens (the prompt estimate plus the answer's cap) of the owner's daily budget before the call, in one
 * statement that parallel calls of one user cannot pass together, caps the answer at what it reserved, and
 * settles with the real usage after; once per task, step and attempt. A call that could overrun the budget
 * is not made: {@link LlmFailureTypes#BUDGET_EXCEEDED}.
 *
 * <p>{@link #complete} streams the answer, heartbeating while it does: its text goes to the task's event log as it
 * arrives, for watchers only (the result is the assembled answer, as without streaming); the text of an attempt that
 * fails is marked abandoned. Cancelled mid-answer, it returns what arrived rather than failing: finish reason
 * {@link ChatCompletionOutput#CANCELLED}, no tool calls, the usage reported or an estimate
 * ({@link TokenUsage#estimated()}), charged as such.
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
