package dev.keiko.domain.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.domain.DomainTest;
import dev.keiko.domain.llm.LlmCallSlots.CallSlot;
import dev.keiko.domain.llm.LlmRateLimits.RateLimit;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import reactor.core.publisher.Flux;

class LlmCallSlotsTest extends DomainTest {

    // 6 calls a minute: one every 10 s.
    private static final RateLimit SIX_PER_MINUTE = new RateLimit(6, 1, Duration.ofSeconds(30));

    @Autowired
    LlmCallSlots slots;

    @Test
    void callsAreSpacedByTheInterval() {
        String deployment = deployment();

        List<CallSlot> taken = List.of(reserve(deployment, SIX_PER_MINUTE), reserve(deployment, SIX_PER_MINUTE),
                reserve(deployment, SIX_PER_MINUTE));

        assertThat(taken).allMatch(CallSlot::taken);
        assertThat(taken.get(0).startsIn()).isZero();
        assertThat(taken.get(1).startsIn()).isBetween(Duration.ofSeconds(9), Duration.ofSeconds(10));
        assertThat(taken.get(2).startsIn()).isBetween(Duration.ofSeconds(19), Duration.ofSeconds(20));
    }

    @Test
    void aBurstStartsAtOnceThenCallsAreSpaced() {
        String deployment = deployment();
        RateLimit burstOfThree = new RateLimit(6, 3, Duration.ofSeconds(30));

        List<Duration> waits = Flux.range(0, 4).concatMap(i -> slots.reserve(deployment, burstOfThree.interval(),
                burstOfThree.burstAllowance(), burstOfThree.maxWait())).map(CallSlot::startsIn).collectList().block();

        assertThat(waits.subList(0, 3)).allMatch(Duration::isZero);
        assertThat(waits.get(3)).isBetween(Duration.ofSeconds(9), Duration.ofSeconds(10));
    }

    @Test
    void aTurnFurtherAwayThanTheMaximumWaitIsRefusedAndNotTaken() {
        String deployment = deployment();
        RateLimit shortWait = new RateLimit(6, 1, Duration.ofSeconds(15));
        reserve(deployment, shortWait);
        reserve(deployment, shortWait);

        CallSlot refused = reserve(deployment, shortWait);
        CallSlot refusedAgain = reserve(deployment, shortWait);

        assertThat(refused.taken()).isFalse();
        assertThat(refused.startsIn()).isBetween(Duration.ofSeconds(19), Duration.ofSeconds(20));
        // Refusals take nothing: the next turn is still 20 s away, not 30 or 40.
        assertThat(refusedAgain.startsIn()).isBetween(Duration.ofSeconds(19), Duration.ofSeconds(20));
    }

    @Test
    void concurrentCallersAllGetDistinctTurns() {
        String deployment = deployment();
        RateLimit sixtyPerMinute = new RateLimit(60, 1, Duration.ofMinutes(1));

        List<Duration> waits = Flux.range(0, 20).flatMap(i -> slots.reserve(deployment, sixtyPerMinute.interval(),
                sixtyPerMinute.burstAllowance(), sixtyPerMinute.maxWait()), 20).map(CallSlot::startsIn)
                .sort().collectList().block();

        for (int i = 1; i < waits.size(); i++) {
            assertThat(waits.get(i).minus(waits.get(i - 1))).isBetween(Duration.ofMillis(900), Duration.ofMillis(1100));
        }
    }

    @Test
    void deploymentsHaveTheirOwnTurns() {
        String first = deployment();
        reserve(first, SIX_PER_MINUTE);

        assertThat(reserve(deployment(), SIX_PER_MINUTE).startsIn()).isZero();
    }

    private CallSlot reserve(String deployment, RateLimit limit) {
        return slots.reserve(deployment, limit.interval(), limit.burstAllowance(), limit.maxWait()).block();
    }

    private static String deployment() {
        return "gpt-" + UUID.randomUUID();
    }
}
