package dev.keiko.activities.llm;

import dev.keiko.activities.ActivitySpans;
import dev.keiko.activities.HeartbeatingWait;
import dev.keiko.activities.budget.ModelCallCharges;
import dev.keiko.activities.budget.ModelCallCharges.Charge;
import dev.keiko.domain.llm.LlmProperties;
import dev.keiko.domain.metrics.MeterTags;
import dev.keiko.domain.task.TaskEvents;
import dev.keiko.domain.task.event.TaskEventLog;
import dev.keiko.workflows.llm.ChatCompletionInput;
import dev.keiko.workflows.llm.ChatCompletionOutput;
import dev.keiko.workflows.llm.ImageGenerationInput;
import dev.keiko.workflows.llm.ImageGenerationOutput;
import dev.keiko.workflows.llm.LlmActivities;
import dev.keiko.workflows.task.StepLabels;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Calls Azure OpenAI or an OpenAI-compatible endpoint. A chat completion streams: its text goes to the task's
 * event log as it arrives ({@link AnswerPublisher}), and a cancellation mid-answer returns what arrived, finish
 * reason {@code cancelled}, rather than failing. It is charged to its task's owner in the same activity: reserved
 * before the call, settled after ({@link ModelCallCharges}). Logs what a call cost, never what it said.
 */
@Component("llmActivities")
public class LlmActivitiesImpl implements LlmActivities {

    static final String CONTENT_FILTER = "content_filter";

    private static final Logger log = LoggerFactory.getLogger(LlmActivitiesImpl.class);

    private final LlmProviders providers;
    private final DeploymentRateLimiter rateLimiter;
    private final ModelCallCharges charges;
    private final TaskEvents events;
    private final TaskEventLog eventLog;
    private final ModelCallMetrics metrics;

    /** Without rate limits, task events or charges to the task's owner. */
    public LlmActivitiesImpl(LlmProperties properties) {
        this(properties, DeploymentRateLimiter.NONE, ModelCallCharges.NONE, (TaskEvents) null, null,
                ModelCallMetrics.NONE);
    }

    /** With rate limits and without task events or charges to the task's owner. */
    public LlmActivitiesImpl(LlmProperties properties, DeploymentRateLimiter rateLimiter) {
        this(properties, rateLimiter, ModelCallCharges.NONE, (TaskEvents) null, null, ModelCallMetrics.NONE);
    }

    /** With rate limits and charges to the task's owner, without task events. */
    public LlmActivitiesImpl(LlmProperties properties, DeploymentRateLimiter rateLimiter, ModelCallCharges charges) {
        this(properties, rateLimiter, charges, (TaskEvents) null, null, ModelCallMetrics.NONE);
    }

    /** With rate limits, charges to the task's owner and the answers' text published to the task's event log. */
    public LlmActivitiesImpl(LlmProperties properties, DeploymentRateLimiter rateLimiter, ModelCallCharges charges,
            TaskEventLog eventLog) {
        this(properties, rateLimiter, charges, (TaskEvents) null, eventLog, ModelCallMetrics.NONE);
    }

    @Autowired
    public LlmActivitiesImpl(LlmProperties properties, DeploymentRateLimiter rateLimiter, ModelCallCharges charges,
            ObjectProvider<TaskEvents> events, ObjectProvider<TaskEventLog> eventLog, ModelCallMetrics metrics) {
        this(properties, rateLimiter, charges, events.getIfAvailable(), eventLog.getIfAvailable(), metrics);
    }

    private LlmActivitiesImpl(LlmProperties properties, DeploymentRateLimiter rateLimiter, ModelCallCharges charges,
            TaskEvents events, TaskEventLog eventLog, ModelCallMetrics metrics) {
        this.providers = new LlmProviders(properties);
        this.rateLimiter = rateLimiter;
        this.charges = charges;
        this.events = events;
        this.eventLog = eventLog;
        this.metrics = metrics;
    }

    @Override
    public ChatCompletionOutput complete(ChatCompletionInput input) {
        LlmTarget target = providers.forChat(input.provider(), input.deployment());
        ChatProvider provider = target.provider();
        String step = StepLabels.completion(target.deployment());
        ActivitySpans.step(step);
        awaitTurn(input.taskId(), target.deployment(), step);
        AnswerPublisher publisher = AnswerPublisher.open(eventLog, input.taskId(), step);
        Charge charge = charges.reserve(input, target.deployment());
        long started = System.nanoTime();
        ChatCompletionOutput output;
        try {
            output = measured(provider.name(), target.deployment(), "chat", input.agentId(),
                    () -> stream(provider, target.deployment(), charge, publisher),
                    answer -> ChatCompletionOutput.CANCELLED.equals(answer.finishReason()) ? ModelCallMetrics.CANCELLED
                            : MeterTags.SUCCESS);
        } catch (RuntimeException e) {
            publisher.abandon();
            throw e;
        }
        // Recorded before anything else can fail the attempt, a content-filtered answer's tokens included.
        charges.settle(charge, output.model(), output.usage());
        metrics.tokens(provider.name(), target.deployment(), input.agentId(), output.usage());
        log.info("Chat completion for task {} on {} '{}': {} messages, {} tools -> {}, {} tool calls, {} tokens{},"
                + " {} ms", input.taskId(), provider.name(), target.deployment(), input.messages().size(),
                input.tools().size(), output.finishReason(), output.toolCalls().size(),
                output.usage().totalTokens(), output.usage().estimated() ? " (estimated)" : "",
                elapsedMillis(started));
        announce(input.taskId(), step + outcome(output) + " in " + elapsedMillis(started) + " ms");
        if (CONTENT_FILTER.equals(output.finishReason())) {
            publisher.abandon();
            throw LlmFailures.contentFiltered(provider.name() + " filtered the answer of '" + output.model() + "'");
        }
        return output;
    }

    /** The answer, or on cancellation what arrived of it, with its usage or an estimate. */
    private ChatCompletionOutput stream(ChatProvider provider, String deployment, Charge charge,
            AnswerPublisher publisher) {
        ChatAnswer answer = new ChatAnswer();
        boolean completed = AnswerStreaming.await(() -> {
            try {
                provider.complete(deployment, charge.call(), answer);
                return null;
            } catch (ApplicationFailure failure) {
                // An error answer spent nothing; an answer that broke off did.
                if (!answer.answered()) {
                    charges.release(charge);
                }
                throw failure;
            } catch (RuntimeException e) {
                // A call that never reached the provider spent nothing; one lost later stays charged.
                if (LlmFailures.neverSent(e)) {
                    charges.release(charge);
                }
                throw e;
            }
        }, answer, publisher, error -> LlmFailures.of(provider.name(), error));
        long prompt = UsageEstimate.prompt(charge.call());
        return completed ? answer.output(deployment, prompt) : answer.cancelled(deployment, prompt);
    }

    @Override
    public ImageGenerationOutput generateImage(ImageGenerationInput input) {
        LlmTarget target = providers.forImages(input.provider(), input.deployment());
        ChatProvider provider = target.provider();
        String step = StepLabels.image(target.deployment());
        ActivitySpans.step(step);
        awaitTurn(input.taskId(), target.deployment(), step);
        long started = System.nanoTime();
        ImageGenerationOutput output = measured(provider.name(), target.deployment(), "image", input.agentId(),
                () -> HeartbeatingWait.call(
                () -> provider.generateImage(target.deployment(), input),
                error -> LlmFailures.of(provider.name(), error)), images -> MeterTags.SUCCESS);
        log.info("Image generation for task {} on {} '{}': {} images, {} ms", input.taskId(), provider.name(),
                target.deployment(), output.urls().size(), elapsedMillis(started));
        return output;
    }

    private <T> T measured(String provider, String deployment, String kind, String agentId, Supplier<T> call,
            Function<T, String> outcome) {
        long started = System.nanoTime();
        try {
            T answer = call.get();
            metrics.call(provider, deployment, kind, agentId, outcome.apply(answer), System.nanoTime() - started);
            return answer;
        } catch (RuntimeException e) {
            metrics.call(provider, deployment, kind, agentId, e, System.nanoTime() - started);
            throw e;
        }
    }

    /** Waits for the deployment's turn under its rate limit; a wait is announced under the call's step label. */
    private void awaitTurn(String taskId, String deployment, String step) {
        Duration waited;
        try {
            waited = rateLimiter.awaitTurn(deployment);
        } catch (ApplicationFailure refused) {
            metrics.refused(deployment);
            throw refused;
        }
        if (waited.isPositive()) {
            metrics.waited(deployment, waited);
        }
        if (waited.isPositive() && events != null && taskId != null) {
            events.announce(taskId, step + " waited " + waited.toMillis() + " ms for its turn (keiko.llm.rate-limits)");
        }
    }

    private void announce(String taskId, String message) {
        if (events != null && taskId != null) {
            events.announce(taskId, message);
        }
    }

    private static String outcome(ChatCompletionOutput output) {
        String tokens = output.usage().totalTokens() + (output.usage().estimated() ? " tokens, estimated" : " tokens");
        if (ChatCompletionOutput.CANCELLED.equals(output.finishReason())) {
            return " was cancelled after " + (output.content() == null ? 0 : output.content().length())
                    + " characters (" + tokens + ")";
        }
        return " answered (" + output.finishReason() + ", " + output.toolCalls().size() + " tool calls, " + tokens
                + ")";
    }

    private static long elapsedMillis(long started) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }
}
