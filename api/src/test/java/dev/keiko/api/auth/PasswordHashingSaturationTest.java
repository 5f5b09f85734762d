package dev.keiko.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keiko.api.GatedPasswordEncoder;
import dev.keiko.api.LimitsTestSupport;
import dev.keiko.domain.user.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * Password hashing has 2 threads and 2 places to wait here. With all four taken by slow checks, a flood of
 * logins is refused at once with 503 and Retry-After, and tasks are still submitted and read meanwhile.
 */
class PasswordHashingSaturationTest extends LimitsTestSupport {

    private static final int FLOOD = 40;

    @Autowired
    GatedPasswordEncoder gate;

    @Autowired
    PasswordHasher hasher;

    @Test
    void aFloodOfLoginsIsRefusedQuicklyWhileTasksStillAnswer() throws Exception {
        TestUser user = createUser(Role.USER);
        gate.shut();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<HttpStatusCode>> held = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                held.add(CompletableFuture.supplyAsync(this::wrongLogin, clients));
            }
            // Says where the held logins stand when they never get there, with a dump of every thread.
            try {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(List.of(gate.waiting(), hasher.queued()))
                        .as(() -> "logins at the gate, logins queued for a hashing thread; held logins " + outcomes(held))
                        .containsExactly(2, 2));
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("Threads in " + ThreadDumps.write("password-hashing-saturation"), e);
            }

            long started = System.nanoTime();
            List<CompletableFuture<EntityExchangeResult<byte[]>>> flood = new ArrayList<>();
            for (int i = 0; i < FLOOD; i++) {
                flood.add(CompletableFuture.supplyAsync(this::wrongLoginResult, clients));
            }
            for (CompletableFuture<EntityExchangeResult<byte[]>> refused : flood) {
                EntityExchangeResult<byte[]> result = refused.get();
                assertThat(result.getStatus()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
                assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
                assertThat(result.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));

            String location = web.post().uri("/api/v1/tasks").headers(headers -> headers.setBearerAuth(user.token()))
                    .bodyValue(Map.of("type", "tool", "parameters", Map.of("server", MCP_SERVER, "tool", "echo")))
                    .exchange().expectStatus().isAccepted()
                    .returnResult(Void.class).getResponseHeaders().getLocation().toString();
            web.get().uri(location).headers(headers -> headers.setBearerAuth(user.token()))
                    .exchange().expectStatus().isOk();
            assertThat(held).allMatch(login -> !login.isDone());

            gate.open();
            for (CompletableFuture<HttpStatusCode> login : held) {
                assertThat(login.get()).isEqualTo(HttpStatus.UNAUTHORIZED);
            }
        } finally {
            gate.open();
        }
    }

    private static List<String> outcomes(List<CompletableFuture<HttpStatusCode>> logins) {
        return logins.stream().map(login -> login.isDone() ? String.valueOf(login.getNow(null)) : "waiting").toList();
    }

    private HttpStatusCode wrongLogin() {
        return wrongLoginResult().getStatus();
    }

    private EntityExchangeResult<byte[]> wrongLoginResult() {
        // A /64 of its own: the throttle counts IPv6 clients by their /64.
        String client = "2001:db8:1:" + Integer.toHexString(Math.floorMod(UUID.randomUUID().hashCode(), 0xffff))
                + "::1";
        return web.mutate().responseTimeout(Duration.ofSeconds(60)).build()
                .post().uri("/api/v1/auth/token")
                .header(ClientAddresses.FORWARDED_FOR, client)
                .bodyValue(Map.of("username", "flood-" + UUID.randomUUID(), "password", "wrong-password"))
                .exchange().expectBody().returnResult();
    }
}
