package dev.keiko.activities.llm;

import dev.keiko.domain.metrics.MeterTags;
import dev.keiko.workflows.llm.TokenUsage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Meters of model calls, recorded in the activity that makes them (activities are not replayed; every
 * attempt that reaches the provider counts, retries included): {@code keiko.model.calls} (a timer: count
 * and latency) by provider, deployment, kind ({@code chat}, {@code image}), agent and outcome ({@code success},
 * {@code cancelled} for a call stopped by its task's cancellation, or the failure type), {@code keiko.model.tokens} by provider, deployment, agent and kind ({@code prompt},
 * {@code completion}), {@code keiko.model.rate.limit.waits} (a timer) and {@code keiko.model.rate.limit.refusals}
 * (attempts ended {@code RATE_LIMITED} before calling) by deployment. A deployment is always a configured one:
 * an unknown one is refused before any call, and counts nothing. The agent is the id of the agent the task was
 * routed to, or {@code none} ({@link MeterTags#agent(String)}).
 */
@Component
public class ModelCallMetrics {

    public static final ModelCallMetrics NONE = new ModelCallMetrics(Metrics.globalRegistry);

    private final MeterRegistry registry;

    @Autowired
    public ModelCallMetrics(ObjectProvider<MeterRegistry> registry) {
        this(registry.getIfAvailable(() -> Metrics.globalRegistry));
    }

    public ModelCallMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The outcome of a call that its task's cancellation stopped, with the answer so far. */
    static final String CANCELLED = "cancelled";

    void call(String provider, String deployment, String kind, String agentId, Throwable failure, long nanos) {
        call(provider, deployment, kind, agentId, outcome(failure), nanos);
    }

    void call(String provider, String deployment, String kind, String agentId, String outcome, long nanos) {
        Timer.builder("keiko.model.calls").description("Model calls, by the outcome of each attempt")
                .tag("provider", provider(provider)).tag("deployment", deployment).tag("kind", kind)
                .tag("agent", MeterTags.agent(agentId)).tag("outcome", outcome).register(registry)
                .record(Duration.ofNanos(nanos));
    }

    void tokens(String provider, String deployment, String agentId, TokenUsage usage) {
        tokens(provider, deployment, agentId, "prompt", usage.promptTokens());
        tokens(provider, deployment, agentId, "completion", usage.completionTokens());
    }

    void waited(String deployment, Duration waited) {
        Timer.builder("keiko.model.rate.limit.waits").description("Waits for a turn under keiko.llm.rate-limits")
                .tag("deployment", deployment).register(registry).record(waited);
    }

    void refused(String deployment) {
        Counter.builder("keiko.model.rate.limit.refusals")
                .description("Attempts that ended RATE_LIMITED, their turn too far away").tag("deployment", deployment)
                .register(registry).increment();
    }

    private void tokens(String provider, String deployment, String agentId, String kind, long tokens) {
        Counter.builder("keiko.model.tokens").description("Tokens the provider counted").baseUnit("tokens")
                .tag("provider", provider(provider)).tag("deployment", deployment)
                .tag("agent", MeterTags.agent(agentId)).tag("kind", kind)
                .register(registry).increment(tokens);
    }

    /** The provider as configuration names it ({@code keiko.llm.provider}). */
    private static String provider(String name) {
        return switch (name) {
            case AzureOpenAiProvider.NAME -> "azure";
            case OpenAiCompatibleProvider.NAME -> "openai";
            default -> MeterTags.OTHER;
        };
    }

    static String outcome(Throwable failure) {
        if (failure == null) {
            return MeterTags.SUCCESS;
        }
        return failure instanceof ApplicationFailure application ? MeterTags.failureType(application.getType())
                : MeterTags.OTHER;
    }
}
