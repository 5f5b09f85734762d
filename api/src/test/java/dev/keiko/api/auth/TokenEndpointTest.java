package dev.keiko.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.api.ApiTestSupport;
import dev.keiko.domain.user.Role;
import dev.keiko.domain.user.UserStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

class TokenEndpointTest extends ApiTestSupport {

    @Autowired
    ReactiveJwtDecoder decoder;

    @Autowired
    UserStore users;

    @Test
    void issuesASignedBearerTokenNamingTheUserAndRole() {
        TestUser operator = createUser(Role.OPERATOR);

        TokenResponse response = web.post().uri("/api/v1/auth/token")
                .bodyValue(Map.of("username", operator.username(), "password", operator.password()))
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(TokenResponse.class).returnResult().getResponseBody();

        assertThat(response.tokenType()).isEqualTo("Bearer");
        assertThat(response.expiresIn()).isEqualTo(Duration.ofHours(1).toSeconds());
        Jwt jwt = decoder.decode(response.accessToken()).block();
        assertThat(jwt.getHeaders()).containsEntry("alg", "HS256");
        assertThat(jwt.getExpiresAt()).isBetween(Instant.now().plus(Duration.ofMinutes(59)),
                Instant.now().plus(Duration.ofMinutes(61)));
        assertThat(CurrentUser.from(jwt)).isEqualTo(new CurrentUser(operator.id(), operator.username(), Role.OPERATOR));
    }

    @Test
    void wrongPasswordAndUnknownUserAreRefusedAlike() {
        TestUser user = createUser(Role.USER);

        ProblemBody wrongPassword = requestToken(user.username(), "not-" + user.password(), 401);
        ProblemBody unknownUser = requestToken("nobody-" + user.username(), user.password(), 401);

        assertThat(wrongPassword.detail()).isEqualTo("Wrong username or password");
        assertThat(unknownUser.detail()).isEqualTo(wrongPassword.detail());
    }

    @Test
    void aDeactivatedUserGetsNoToken() {
        TestUser viewer = createUser(Role.VIEWER);
        users.update(viewer.id(), null, false).block();

        assertThat(requestToken(viewer.username(), viewer.password(), 401).detail())
                .isEqualTo("This user is deactivated");
    }

    @Test
    void aPasswordLongerThanBcryptTakesIsSimplyWrong() {
        TestUser user = createUser(Role.USER);

        requestToken(user.username(), user.password() + "x".repeat(100), 401);
    }

    @Test
    void missingFieldsAreNamed() {
        ProblemBody problem = ProblemBody.expect(web.post().uri("/api/v1/auth/token")
                .bodyValue(Map.of("username", "someone")).exchange(), 400);

        assertThat(problem.detail()).contains("'password'");
    }

    @Test
    void malformedJsonIsABadRequest() {
        ProblemBody problem = ProblemBody.expect(web.post().uri("/api/v1/auth/token")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"username\": \"admin\", ").exchange(), 400);

        assertThat(problem.status()).isEqualTo(400);
    }

    private ProblemBody requestToken(String username, String password, int status) {
        return ProblemBody.expect(web.post().uri("/api/v1/auth/token")
                .bodyValue(Map.of("username", username, "password", password)).exchange(), status);
    }
}
