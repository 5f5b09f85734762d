package dev.keiko.bench.fault;

import dev.keiko.bench.fakes.ModelFake;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which model requests fail, and how: a marked task's every request is refused with its status (a non-retryable error);
 * any other request draws 429 with {@code Retry-After}, 500, a slow answer or the scripted answer at the given rates,
 * but a call is refused at most {@link #MAX_FAULTS_PER_CALL} times, so that its attempts (6) always reach an answer.
 */
final class ModelFaultPlan implements ModelFake.FailureInjector {

    static final int MAX_FAULTS_PER_CALL = 3;

    private final Map<String, Integer> refused;
    private final double rateLimited;
    private final double serverErrors;
    private final double slow;
    private final long retryAfterSeconds;
    private final Duration slowBy;
    private final Random random;
    private final Map<String, Integer> faultsPerCall = new ConcurrentHashMap<>();
    private final AtomicLong sentRateLimited = new AtomicLong();
    private final AtomicLong sentServerErrors = new AtomicLong();
    private final AtomicLong sentSlow = new AtomicLong();

    /**
     * @param refused the markers whose requests are refused, with the status each gets
     * @param rates the shares of 429, 500 and slow answers, in that order
     */
    ModelFaultPlan(Map<String, Integer> refused, double[] rates, long retryAfterSeconds, Duration slowBy, long seed) {
        this.refused = Map.copyOf(refused);
        this.rateLimited = rates[0];
        this.serverErrors = rates[1];
        this.slow = rates[2];
        this.retryAfterSeconds = retryAfterSeconds;
        this.slowBy = slowBy;
        this.random = new Random(seed);
    }

    @Override
    public ModelFake.Failure decide(ModelFake.Request request) {
        if (request.marker() == null) {
            return null;
        }
        Integer status = refused.get(request.marker());
        if (status != null) {
            return new ModelFake.Failure(status, null, Duration.ZERO);
        }
        String call = request.marker() + "#" + request.toolAnswers();
        if (faultsPerCall.getOrDefault(call, 0) >= MAX_FAULTS_PER_CALL) {
            return null;
        }
        double draw;
        synchronized (random) {
            draw = random.nextDouble();
        }
        ModelFake.Failure failure;
        if (draw < rateLimited) {
            sentRateLimited.incrementAndGet();
            failure = new ModelFake.Failure(429, retryAfterSeconds, Duration.ZERO);
        } else if (draw < rateLimited + serverErrors) {
            sentServerErrors.incrementAndGet();
            failure = new ModelFake.Failure(500, null, Duration.ZERO);
        } else if (draw < rateLimited + serverErrors + slow) {
            sentSlow.incrementAndGet();
            failure = ModelFake.Failure.slow(slowBy);
        } else {
            return null;
        }
        faultsPerCall.merge(call, 1, Integer::sum);
        return failure;
    }

    long rateLimited() {
        return sentRateLimited.get();
    }

    long serverErrors() {
        return sentServerErrors.get();
    }

    long slowAnswers() {
        return sentSlow.get();
    }
}
