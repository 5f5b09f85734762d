package dev.keiko.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.api.ApiTestSupport;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * On a cloud platform (Kubernetes here) Boot would let Reactor Netty take the client's address from the
 * request's own {@code X-Forwarded-For}; with no trusted proxies a client that forges a new one on every
 * guess is still counted at its real address (3 failures per address here).
 */
@TestPropertySource(properties = {
    "spring.main.cloud-platform=kubernetes",
    "keiko.auth.login-throttle.failures-per-address=3"
})
class ForgedForwardedForTest extends ApiTestSupport {

    @Test
    void aForgedForwardedForFromAnUntrustedPeerDoesNotChangeTheThrottledAddress() {
        for (int i = 0; i < 3; i++) {
            ProblemBody.expect(login(forgedAddress()), 401);
        }

        ProblemBody problem = ProblemBody.expect(login(forgedAddress()), 429);

        assertThat(problem.detail()).isEqualTo(LoginThrottle.TOO_MANY_FAILURES);
    }

    private static String forgedAddress() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "198.51." + random.nextInt(0, 256) + "." + random.nextInt(1, 255);
    }

    private WebTestClient.ResponseSpec login(String forwardedFor) {
        return web.post().uri("/api/v1/auth/token")
                .header(ClientAddresses.FORWARDED_FOR, forwardedFor)
                .bodyValue(Map.of("username", "guess-" + UUID.randomUUID(), "password", "wrong"))
                .exchange();
    }
}
