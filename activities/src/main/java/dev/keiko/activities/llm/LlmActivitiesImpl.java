package dev.keiko.activities.llm;

import dev.keiko.activities.HeartbeatingWait;
import dev.keiko.domain.llm.LlmProperties;
import dev.keiko.domain.task.TaskEvents;
import dev.keiko.workflows.llm.ChatCompletionInput;
import dev.keiko.workflows.llm.ChatCompletionOutput;
import dev.keiko.workflows.llm.ImageGenerationInput;
import dev.keiko.workflows.llm.ImageGenerationOutput;
import dev.keiko.workflows.llm.LlmActivities;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/** Calls Azure OpenAI or an OpenAI-compatible endpoint. Logs what a call cost, never what it said. */
@Component("llmActivities")
public class LlmActivitiesImpl implements LlmActivities {

    static final String CONTENT_FILTER = "content_filter";

    private static final Logger log = LoggerFactory.getLogger(LlmActivitiesImpl.class);

    private final LlmProviders providers;
    private final DeploymentRateLimiter rateLimiter;
    private final TaskEvents events;

    /** Without rate limits or task events: calls are not announced on the task's event stream. */
    public LlmActivitiesImpl(LlmProperties properties) {
        this(properties, DeploymentRateLimiter.NONE, (TaskEvents) null);
    }

    /** With rate limits and without task events. */
    public LlmActivitiesImpl(LlmProperties properties, DeploymentRateLimiter rateLimiter) {
        this(properties, rateLimiter, (TaskEvents) null);
    }

    @Autowired
    public LlmActivitiesImpl(LlmProperties properties, DeploymentRateLimiter rateLimiter,
            ObjectProvider<TaskEvents> events) {
        this(properties, rateLimiter, events.getIfAvailable());
    }

    private LlmActivitiesImpl(LlmProperties properties, DeploymentRateLimiter rateLimiter, TaskEvents events) {
        this.providers = new LlmProviders(properties);
        this.rateLimiter = rateLimiter;
        this.events = events;
    }

    @Override
    public ChatCompletionOutput complete(ChatCompletionInput input) {
        LlmTarget target = providers.forChat(input.provider(), input.deployment());
        ChatProvider provider = target.provider();
        awaitTurn(input.taskId(), target.deployment());
        long started = System.nanoTime();
        ChatCompletionOutput output = HeartbeatingWait.call(() -> provider.complete(target.deployment(), input),
                error -> LlmFailures.of(provider.name(), error));
        log.info("Chat completion for task {} on {} '{}': {} messages, {} tools -> {}, {} tool calls, {} tokens,"
                + " {} ms", input.taskId(), provider.name(), target.deployment(), input.messages().size(),
                input.tools().size(), output.finishReason(), output.toolCalls().size(),
                output.usage().totalTokens(), elapsedMillis(started));
        if (events != null && input.taskId() != null) {
            events.announce(input.taskId(), "llm: " + target.deployment() + " answered (" + output.finishReason()
                    + ", " + output.toolCalls().size() + " tool calls, " + output.usage().totalTokens() + " tokens) in "
                    + elapsedMillis(started) + " ms");
        }
        if (CONTENT_FILTER.equals(output.finishReason())) {
            throw LlmFailures.contentFiltered(provider.name() + " filtered the answer of '" + output.model() + "'");
        }
        return output;
    }

    @Override
    public ImageGenerationOutput generateImage(ImageGenerationInput input) {
        LlmTarget target = providers.forImages(input.provider(), input.deployment());
        ChatProvider provider = target.provider();
        awaitTurn(input.taskId(), target.deployment());
        long started = System.nanoTime();
        ImageGenerationOutput output = HeartbeatingWait.call(
                () -> provider.generateImage(target.deployment(), input),
                error -> LlmFailures.of(provider.name(), error));
        log.info("Image generation for task {} on {} '{}': {} images, {} ms", input.taskId(), provider.name(),
                target.deployment(), output.urls().size(), elapsedMillis(started));
        return output;
    }

    private void awaitTurn(String taskId, String deployment) {
        Duration waited = rateLimiter.awaitTurn(deployment);
        if (waited.isPositive() && events != null && taskId != null) {
            events.announce(taskId, "llm: " + deployment + " waited " + waited.toMillis() + " ms for its turn"
                    + " (keiko.llm.rate-limits)");
        }
    }

    private static long elapsedMillis(long started) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }
}
