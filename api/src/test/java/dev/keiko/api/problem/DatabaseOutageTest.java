package dev.keiko.api.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keiko.api.ApiApplication;
import dev.keiko.api.auth.TokenResponse;
import dev.keiko.embedded.EmbeddedPostgresServer;
import dev.keiko.embedded.EmbeddedServices;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * PostgreSQL stopped under the API, for real, and started again: every request that needs it answers 503
 * problem+json meanwhile, whether the database fails in a controller or in the bearer token's check before any,
 * and the API serves again once it is back. On a PostgreSQL of its own, so that no other test sees the outage.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=api",
            "keiko.auth.jwt-secret=" + DatabaseOutageTest.JWT_SECRET,
            "keiko.auth.admin-password=" + DatabaseOutageTest.ADMIN_PASSWORD
        })
@AutoConfigureWebTestClient(timeout = "30s")
class DatabaseOutageTest {

    static final String JWT_SECRET = "keiko-api-outage-test-signing-secret-of-32-bytes";
    static final String ADMIN_PASSWORD = "admin-password-for-outage-tests";

    private static final EmbeddedPostgresServer POSTGRES = EmbeddedPostgresServer.start(0);

    @Autowired
    WebTestClient web;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        EmbeddedServices.shared().properties().forEach((name, value) -> registry.add(name, () -> value));
        registry.add("keiko.db.url", POSTGRES::url);
    }

    @AfterAll
    static void stopPostgres() {
        POSTGRES.close();
    }

    @Test
    void answers503ProblemsWhilePostgresIsDownAndServesAgainOnceItIsBack() {
        String token = token();
        web.get().uri("/api/v1/tasks").headers(h -> h.setBearerAuth(token)).exchange().expectStatus().isOk();

        POSTGRES.crash(Path.of("target", "postgres-outage-" + UUID.randomUUID() + ".log"));
        try {
            expectUnavailable(web.get().uri("/api/v1/tasks").headers(h -> h.setBearerAuth(token)));
            expectUnavailable(web.get().uri("/api/v1/tasks/" + UUID.randomUUID()).headers(h -> h.setBearerAuth(token)));
            expectUnavailable(web.post().uri("/api/v1/tasks").headers(h -> h.setBearerAuth(token))
                    .bodyValue(Map.of("type", "completion", "parameters", Map.of("prompt", "hello"))));
            expectUnavailable(web.post().uri("/api/v1/auth/token")
                    .bodyValue(Map.of("username", "admin", "password", ADMIN_PASSWORD)));
        } finally {
            POSTGRES.restart();
        }

        // Serving again: the pool's connections cut by the crash fail once each (503), then requests are answered.
        // The embedded server commits asynchronously (synchronous_commit off), so the admin row written moments before
        // the crash may be gone after it: 401 is an answer too.
        await().pollInterval(Duration.ofMillis(100)).atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(web.get().uri("/api/v1/tasks").headers(h -> h.setBearerAuth(token)).exchange()
                        .returnResult(String.class).getStatus().is5xxServerError()).isFalse());
    }

    private static void expectUnavailable(WebTestClient.RequestHeadersSpec<?> request) {
        request.exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(503)
                .jsonPath("$.detail").isEqualTo(ApiExceptionHandler.DATABASE_UNAVAILABLE);
    }

    private String token() {
        return web.post().uri("/api/v1/auth/token")
                .bodyValue(Map.of("username", "admin", "password", ADMIN_PASSWORD))
                .exchange()
                .expectStatus().isOk()
                .expectBody(TokenResponse.class)
                .returnResult()
                .getResponseBody()
                .accessToken();
    }
}
