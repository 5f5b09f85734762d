package dev.keiko.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.keiko.api.GatedPasswordEncoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * Password checks take one of the hashing threads or a place in the queue, and are refused (503) only when all are
 * taken: a burst as large as both is admitted whole, however the idle threads happen to be scheduled.
 */
class PasswordHasherTest {

    private static final String CHEAP_HASH = "{noop}secret";

    private final GatedPasswordEncoder gate = new GatedPasswordEncoder();
    private final PasswordHasher hasher = new PasswordHasher(gate, new PasswordHashingProperties(2, 2,
            Duration.ofSeconds(1)));
    private final ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stop() {
        gate.open();
        clients.close();
        hasher.destroy();
    }

    @Test
    void aBurstAsLargeAsTheThreadsAndTheQueueIsAdmittedEveryTimeAndOneMoreIsRefused() throws Exception {
        for (int round = 0; round < 100; round++) {
            gate.shut();
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Boolean>> burst = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                burst.add(CompletableFuture.supplyAsync(() -> {
                    awaitQuietly(go);
                    return hasher.matches("secret", CHEAP_HASH).block();
                }, clients));
            }
            go.countDown();
            int currentRound = round;
            await().pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(burst).as("round %d: none refused", currentRound)
                        .noneMatch(CompletableFuture::isCompletedExceptionally);
                assertThat(List.of(gate.waiting(), hasher.queued())).containsExactly(2, 2);
            });

            assertThatThrownBy(() -> hasher.matches("secret", CHEAP_HASH).block())
                    .isInstanceOfSatisfying(ErrorResponseException.class, refused ->
                            assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));
            gate.open();
            for (CompletableFuture<Boolean> check : burst) {
                assertThat(check.get()).isTrue();
            }
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
