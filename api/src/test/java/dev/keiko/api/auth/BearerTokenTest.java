package dev.keiko.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.api.ApiTestSupport;
import dev.keiko.domain.user.Role;
import dev.keiko.domain.user.User;
import dev.keiko.domain.user.UserStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;

class BearerTokenTest extends ApiTestSupport {

    @Autowired
    JwtEncoder encoder;

    @Autowired
    AuthProperties properties;

    @Autowired
    UserStore users;

    @Test
    void aValidTokenIsAccepted() {
        TestUser user = createUser(Role.USER);

        withToken(user.token()).expectStatus().isOk();
    }

    @Test
    void noTokenIsAnsweredWithAChallenge() {
        ProblemBody problem = ProblemBody.expect(web.get().uri("/api/v1/users/me").exchange()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer"), 401);

        assertThat(problem.detail()).isEqualTo(SecurityProblems.TOKEN_REQUIRED);
        assertThat(problem.instance()).isEqualTo("/api/v1/users/me");
        web.get().uri("/api/v1/users/me").exchange().expectBody()
                .jsonPath("$.title").isEqualTo("Unauthorized")
                .jsonPath("$.status").isEqualTo(401)
                .jsonPath("$.properties").doesNotExist();
    }

    @Test
    void aGarbageTokenIsRefused() {
        assertInvalidToken(withToken("not-a-jwt"));
        assertInvalidToken(withToken("a.b.c"));
    }

    @Test
    void anExpiredTokenIsRefused() {
        User user = stored(createUser(Role.VIEWER));
        Clock twoHoursAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC);
        String expired = new AccessTokens(encoder, properties, twoHoursAgo).issue(user).accessToken();

        assertThat(assertInvalidToken(withToken(expired)).detail()).containsIgnoringCase("expired");
    }

    @Test
    void aTokenSignedWithAnotherSecretIsRefused() {
        User user = stored(createUser(Role.ADMIN));
        var otherKey = new SecretKeySpec("another-secret-that-is-long-enough-for-hs256"
                .getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        var forger = NimbusJwtEncoder.withSecretKey(otherKey).algorithm(MacAlgorithm.HS256).build();
        String forged = new AccessTokens(forger, properties).issue(user).accessToken();

        assertInvalidToken(withToken(forged));
    }

    @Test
    void aTokenOfAUserDeactivatedSinceIsRefused() {
        TestUser operator = createUser(Role.OPERATOR);
        users.update(operator.id(), null, false).block();

        assertThat(assertInvalidToken(withToken(operator.token())).detail()).contains("deactivated");
    }

    @Test
    void aTokenNamingARoleTheUserNoLongerHasIsRefused() {
        TestUser demoted = createUser(Role.ADMIN);
        users.update(demoted.id(), Role.VIEWER, null).block();

        assertThat(assertInvalidToken(withToken(demoted.token())).detail()).contains("role");
    }

    @Test
    void aTokenForNoStoredUserIsRefused() {
        User ghost = new User(UUID.randomUUID(), "ghost", "", Role.ADMIN, true, null, Instant.now(), Instant.now(),
                null);
        String token = new AccessTokens(encoder, properties).issue(ghost).accessToken();

        assertInvalidToken(withToken(token));
    }

    @Test
    void healthIsOpen() {
        web.get().uri("/actuator/health").exchange().expectStatus().isOk();
    }

    private WebTestClient.ResponseSpec withToken(String token) {
        return web.get().uri("/api/v1/users/me").headers(headers -> headers.setBearerAuth(token)).exchange();
    }

    private static ProblemBody assertInvalidToken(WebTestClient.ResponseSpec response) {
        ProblemBody problem = ProblemBody.expect(response.expectHeader()
                .valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\""), 401);
        assertThat(problem.detail()).startsWith("Invalid access token");
        return problem;
    }

    private User stored(TestUser user) {
        return users.findById(user.id()).block();
    }
}
