package dev.keiko.domain.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keiko.domain.DomainTest;
import dev.keiko.domain.llm.LlmCallSlots.CallTurn;
import dev.keiko.domain.llm.LlmRateLimits.RateLimit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import reactor.core.publisher.Flux;

class LlmCallSlotsTest extends DomainTest {

    // 6 calls a minute: one every 10 s.
    private static final RateLimit SIX_PER_MINUTE = new RateLimit(6, 1, Duration.ofSeconds(10), Duration.ofMinutes(5));

    @Autowired
    LlmCallSlots slots;

    @Test
    void turnsAreSpacedByTheInterval() {
        String deployment = deployment();

        List<CallTurn> turns = List.of(take(deployment, SIX_PER_MINUTE), take(deployment, SIX_PER_MINUTE),
                take(deployment, SIX_PER_MINUTE));

        assertThat(turns.get(0).startsIn()).isZero();
        assertThat(Duration.between(turns.get(0).startsAt(), turns.get(1).startsAt())).isEqualTo(Duration.ofSeconds(10));
        assertThat(Duration.between(turns.get(1).startsAt(), turns.get(2).startsAt())).isEqualTo(Duration.ofSeconds(10));
        assertThat(turns.get(2).startsIn()).isBetween(Duration.ofSeconds(19), Duration.ofSeconds(20));
    }

    @Test
    void aBurstStartsAtOnceThenTurnsAreSpaced() {
        String deployment = deployment();
        RateLimit burstOfThree = new RateLimit(6, 3, Duration.ofSeconds(10), Duration.ofMinutes(5));

        List<Duration> waits = Flux.range(0, 4).concatMap(i -> slots.take(deployment, burstOfThree.interval(),
                burstOfThree.burstAllowance(), burstOfThree.maxQueue())).map(CallTurn::startsIn).collectList().block();

        assertThat(waits.subList(0, 3)).allMatch(Duration::isZero);
        assertThat(waits.get(3)).isBetween(Duration.ofSeconds(9), Duration.ofSeconds(10));
    }

    @Test
    void concurrentCallersAllGetDistinctTurns() {
        String deployment = deployment();
        RateLimit sixtyPerMinute = new RateLimit(60, 1, Duration.ofSeconds(10), Duration.ofMinutes(5));

        List<Instant> starts = Flux.range(0, 20).flatMap(i -> slots.take(deployment, sixtyPerMinute.interval(),
                sixtyPerMinute.burstAllowance(), sixtyPerMinute.maxQueue()), 20).map(CallTurn::startsAt).sort().collectList().block();

        // The first caller's turn starts at its own now; every later one exactly an interval after the last.
        for (int i = 2; i < starts.size(); i++) {
            assertThat(Duration.between(starts.get(i - 1), starts.get(i))).isEqualTo(Duration.ofSeconds(1));
        }
        assertThat(Duration.between(starts.get(0), starts.get(1))).isLessThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aTurnBeyondTheHorizonIsNotTaken() {
        String deployment = deployment();
        take(deployment, SIX_PER_MINUTE);
        take(deployment, SIX_PER_MINUTE);

        CallTurn refused = slots.take(deployment, SIX_PER_MINUTE.interval(), Duration.ZERO, Duration.ofSeconds(15))
                .block();
        CallTurn next = take(deployment, SIX_PER_MINUTE);

        assertThat(refused.taken()).isFalse();
        assertThat(refused.startsIn()).isBetween(Duration.ofSeconds(19), Duration.ofSeconds(20));
        // The refusal took nothing: the next caller gets the very turn it was offered.
        assertThat(next.taken()).isTrue();
        assertThat(next.startsAt()).isEqualTo(refused.startsAt());
    }

    @Test
    void theTimeUntilATurnIsTheDatabases() {
        String deployment = deployment();
        take(deployment, SIX_PER_MINUTE);
        CallTurn second = take(deployment, SIX_PER_MINUTE);

        assertThat(slots.until(second.startsAt()).block()).isBetween(Duration.ofSeconds(9), Duration.ofSeconds(10));
        assertThat(slots.until(second.startsAt().minusSeconds(30)).block()).isNegative();
    }

    @Test
    void deploymentsHaveTheirOwnTurns() {
        take(deployment(), SIX_PER_MINUTE);

        assertThat(take(deployment(), SIX_PER_MINUTE).startsIn()).isZero();
    }

    @Test
    void aLimitMustBeUsable() {
        Duration queue = Duration.ofMinutes(5);
        assertThatThrownBy(() -> new RateLimit(0, 1, Duration.ofSeconds(1), queue)).hasMessageContaining("requests-per-minute");
        assertThatThrownBy(() -> new RateLimit(6, 0, Duration.ofSeconds(1), queue)).hasMessageContaining("burst");
        assertThatThrownBy(() -> new RateLimit(6, 1, Duration.ofMinutes(2), queue)).hasMessageContaining("max-wait");
        assertThatThrownBy(() -> new RateLimit(6, 1, Duration.ofSeconds(-1), queue)).hasMessageContaining("max-wait");
        assertThatThrownBy(() -> new RateLimit(6, 1, Duration.ofSeconds(30), Duration.ofSeconds(10)))
                .hasMessageContaining("max-queue");
    }

    private CallTurn take(String deployment, RateLimit limit) {
        return slots.take(deployment, limit.interval(), limit.burstAllowance(), limit.maxQueue()).block();
    }

    private static String deployment() {
        return "gpt-" + UUID.randomUUID();
    }
}
