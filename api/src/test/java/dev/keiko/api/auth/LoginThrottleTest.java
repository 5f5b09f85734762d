package dev.keiko.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keiko.api.LimitsTestSupport;
import dev.keiko.domain.user.Role;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Failed logins are throttled per username at one client address (3 in 4 s here), per client address (6 in
 * 4 s, an IPv6 client by its /64) and per username from everywhere (8 in 4 s), which does not hold back an
 * address the username signed in from.
 */
class LoginThrottleTest extends LimitsTestSupport {

    private String address;

    @BeforeEach
    void ownClientAddress() {
        // 127.0.0.1 is a trusted proxy in these tests, so X-Forwarded-For names the client.
        address = otherAddress();
    }

    @Test
    void aUsernameWithTooManyFailuresAtAnAddressWaitsThereForTheWindowEvenWithTheRightPassword() {
        TestUser user = createUser(Role.USER);
        for (int i = 0; i < 3; i++) {
            ProblemBody.expect(login(user.username(), "wrong", address), 401);
        }

        WebTestClient.ResponseSpec refused = login(user.username(), user.password(), address);
        ProblemBody problem = ProblemBody.expect(refused, 429);
        long retryAfter = Long.parseLong(refused.returnResult(Void.class).getResponseHeaders()
                .getFirst(HttpHeaders.RETRY_AFTER));

        assertThat(problem.detail()).isEqualTo(LoginThrottle.TOO_MANY_FAILURES);
        assertThat(retryAfter).isBetween(1L, 4L);
        await().atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                login(user.username(), user.password(), address).expectStatus().isOk());
    }

    @Test
    void failuresElsewhereDoNotLockAUserOutWhereTheUserSignsIn() {
        TestUser user = createUser(Role.USER);
        String attacker = otherAddress();
        for (int i = 0; i < 3; i++) {
            ProblemBody.expect(login(user.username(), "wrong", attacker), 401);
        }
        ProblemBody.expect(login(user.username(), "wrong", attacker), 429);

        login(user.username(), user.password(), address).expectStatus().isOk();
    }

    @Test
    void aUsernameGuessedFromManyAddressesIsBoundedAltogether() {
        TestUser user = createUser(Role.USER);
        for (int i = 0; i < 8; i++) {
            ProblemBody.expect(login(user.username(), "wrong", otherAddress()), 401);
        }

        ProblemBody.expect(login(user.username(), "wrong", otherAddress()), 429);
        ProblemBody.expect(login(user.username(), user.password(), address), 429);
    }

    @Test
    void aSprayFromManyAddressesDoesNotLockAUserOutWhereTheUserSignedInBefore() {
        TestUser user = createUser(Role.USER);
        login(user.username(), user.password(), address).expectStatus().isOk();
        for (int i = 0; i < 8; i++) {
            ProblemBody.expect(login(user.username(), "wrong", otherAddress()), 401);
        }
        ProblemBody.expect(login(user.username(), user.password(), otherAddress()), 429);

        login(user.username(), user.password(), address).expectStatus().isOk();
        // The known address is still bounded per username there.
        for (int i = 0; i < 3; i++) {
            ProblemBody.expect(login(user.username(), "wrong", address), 401);
        }
        ProblemBody.expect(login(user.username(), user.password(), address), 429);
        ProblemBody.expect(login(user.username(), "wrong", otherAddress()), 429);
    }

    @Test
    void anAddressIsKnownOnlyForTheUsernameThatSignedInThere() {
        TestUser user = createUser(Role.USER);
        TestUser neighbour = createUser(Role.USER);
        login(neighbour.username(), neighbour.password(), address).expectStatus().isOk();
        for (int i = 0; i < 8; i++) {
            ProblemBody.expect(login(user.username(), "wrong", otherAddress()), 401);
        }

        ProblemBody.expect(login(user.username(), user.password(), address), 429);
    }

    @Test
    void anIpv6ClientCountsByItsSlash64() {
        String network = otherAddress().replace("::1", "::");
        for (int i = 1; i <= 6; i++) {
            ProblemBody.expect(login("guess-" + UUID.randomUUID(), "wrong", network + Integer.toHexString(i)), 401);
        }

        ProblemBody.expect(login("guess-" + UUID.randomUUID(), "wrong", network + "ffff:1"), 429);
        ProblemBody.expect(login("guess-" + UUID.randomUUID(), "wrong", otherAddress()), 401);
    }

    @Test
    void unknownUsernamesAreThrottledTheSameWay() {
        TestUser known = createUser(Role.USER);
        String unknown = "nobody-" + UUID.randomUUID().toString().substring(0, 8);
        String knownsAddress = otherAddress();
        for (int i = 0; i < 3; i++) {
            assertThat(ProblemBody.expect(login(unknown, "wrong", address), 401).detail())
                    .isEqualTo(ProblemBody.expect(login(known.username(), "wrong", knownsAddress), 401).detail());
        }

        ProblemBody unknownRefused = ProblemBody.expect(login(unknown, "wrong", address), 429);
        ProblemBody knownRefused = ProblemBody.expect(login(known.username(), "wrong", knownsAddress), 429);

        assertThat(unknownRefused.detail()).isEqualTo(knownRefused.detail());
    }

    @Test
    void anAddressWithTooManyFailuresAcrossUsernamesWaits() {
        TestUser user = createUser(Role.USER);
        for (int i = 0; i < 6; i++) {
            ProblemBody.expect(login("guess-" + i + "-" + UUID.randomUUID(), "wrong", address), 401);
        }

        ProblemBody.expect(login(user.username(), user.password(), address), 429);
        login(user.username(), user.password(), otherAddress()).expectStatus().isOk();
    }

    @Test
    void aSuccessDoesNotClearTheAddressOfOtherUsernamesFailures() {
        TestUser user = createUser(Role.USER);
        for (int i = 0; i < 5; i++) {
            ProblemBody.expect(login("guess-" + i + "-" + UUID.randomUUID(), "wrong", address), 401);
        }

        login(user.username(), user.password(), address).expectStatus().isOk();
        ProblemBody.expect(login("guess-5-" + UUID.randomUUID(), "wrong", address), 401);

        ProblemBody.expect(login(user.username(), user.password(), address), 429);
    }

    @Test
    void overlongPasswordsAreWrongNotFailuresOfTheServer() {
        TestUser user = createUser(Role.USER);

        ProblemBody.expect(login(user.username(), "é".repeat(37), address), 401);
        ProblemBody.expect(login(user.username(), "😀".repeat(19), address), 401);
        ProblemBody.expect(login(user.username(), "x".repeat(10_000), address), 401);
        // Each counted as a failure, like any wrong password.
        ProblemBody.expect(login(user.username(), user.password(), address), 429);
    }

    @Test
    void anOverlongUsernameIsRefusedBeforeAnythingIsCounted() {
        ProblemBody problem = ProblemBody.expect(login("u".repeat(65), "wrong", address), 400);

        assertThat(problem.detail()).contains("'username'");
    }

    /** An address of a /64 of its own. */
    private static String otherAddress() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "2001:db8:" + Integer.toHexString(random.nextInt(1, 0xffff)) + ":"
                + Integer.toHexString(random.nextInt(1, 0xffff)) + "::1";
    }

    private WebTestClient.ResponseSpec login(String username, String password, String clientAddress) {
        return web.post().uri("/api/v1/auth/token")
                .header(ClientAddresses.FORWARDED_FOR, clientAddress)
                .bodyValue(Map.of("username", username, "password", password))
                .exchange();
    }
}
