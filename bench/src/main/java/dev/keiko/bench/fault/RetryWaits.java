package dev.keiko.bench.fault;

import dev.keiko.bench.fakes.ModelFake;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/** How long each task waited, at the model fake, between a 429 answer and its next request. */
record RetryWaits(long early, double shortestMillis) {

    static RetryWaits of(ModelFake model, Collection<String> markers, Duration retryAfter) {
        long early = 0;
        long shortest = Long.MAX_VALUE;
        for (String marker : markers) {
            List<Long> arrivals = model.arrivals(marker);
            for (ModelFake.Answer answer : model.answers(marker)) {
                if (answer.status() != 429) {
                    continue;
                }
                Long next = arrivals.stream().filter(at -> at > answer.sentAtNanos()).min(Long::compare).orElse(null);
                if (next == null) {
                    continue;
                }
                long wait = next - answer.sentAtNanos();
                shortest = Math.min(shortest, wait);
                if (wait < retryAfter.toNanos()) {
                    early++;
                }
            }
        }
        return new RetryWaits(early, shortest == Long.MAX_VALUE ? -1 : shortest / 1e6);
    }
}
