package dev.keiko.api.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.api.ApiTestSupport;
import dev.keiko.api.auth.ProblemBody;
import dev.keiko.domain.user.Role;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Passwords fit bcrypt's 72 bytes, counted in UTF-8, at creation and on change; user fields up to their limits. */
class UserLimitsTest extends ApiTestSupport {

    private TestUser admin;

    @BeforeEach
    void signInAsAdmin() {
        admin = createUser(Role.ADMIN);
    }

    @Test
    void aPasswordOfExactly72BytesIsAcceptedAndOneByteMoreIsNot() {
        for (String password : new String[] {"é".repeat(36), "😀".repeat(18), "x".repeat(72)}) {
            String username = unique("fits");
            create(newUser(username, password)).expectStatus().isCreated();
            assertThat(token(username, password)).isNotBlank();
        }
        for (String password : new String[] {"é".repeat(36) + "x", "😀".repeat(19), "x".repeat(73)}) {
            assertThat(ProblemBody.expect(create(newUser(unique("overlong"), password)), 400).detail())
                    .contains("'password'");
        }
    }

    @Test
    void aChangedPasswordMustFitToo() {
        TestUser user = createUser(Role.USER);

        assertThat(ProblemBody.expect(change(user.id(), Map.of("password", "😀".repeat(19))), 400).detail())
                .contains("'password'").contains("72 bytes");
        assertThat(ProblemBody.expect(change(user.id(), Map.of("password", "short")), 400).detail())
                .contains("'password'");
        assertThat(token(user.username(), user.password())).isNotBlank();

        String newPassword = "ü".repeat(36);
        change(user.id(), Map.of("password", newPassword)).expectStatus().isOk();

        assertThat(token(user.username(), newPassword)).isNotBlank();
        ProblemBody.expect(web.post().uri("/api/v1/auth/token")
                .bodyValue(Map.of("username", user.username(), "password", user.password())).exchange(), 401);
    }

    @Test
    void changingAnUnknownUsersPasswordIsNotFound() {
        ProblemBody.expect(change(UUID.randomUUID(), Map.of("password", "long-enough")), 404);
    }

    @Test
    void profileFieldsUpToTheirLimitsAreKept() {
        String username = "u".repeat(56) + UUID.randomUUID().toString().substring(0, 8);
        String email = "e".repeat(64) + "@" + "d".repeat(63) + "." + "d".repeat(63) + "." + "d".repeat(63) + "."
                + "d".repeat(60) + ".io";
        Map<String, Object> body = new HashMap<>(newUser(username, "long-enough"));
        body.putAll(Map.of("fullName", "ß".repeat(200), "email", email, "timezone", "America/Argentina/Buenos_Aires"));

        UserView created = create(body).expectStatus().isCreated().expectBody(UserView.class)
                .returnResult().getResponseBody();

        assertThat(email).hasSize(320);
        assertThat(created.username()).hasSize(64);
        assertThat(created.fullName()).hasSize(200);
        assertThat(created.email()).isEqualTo(email);
    }

    @Test
    void profileFieldsOverTheirLimitsAreNamed() {
        String email = "e".repeat(65) + "@example.com";
        Map<String, Object> tooLongEmail = new HashMap<>(newUser(unique("email"), "long-enough"));
        tooLongEmail.put("email", "e".repeat(64) + "@" + "d".repeat(63) + "." + "d".repeat(63) + "."
                + "d".repeat(63) + "." + "d".repeat(61) + ".io");
        Map<String, Object> badLocalPart = new HashMap<>(newUser(unique("email"), "long-enough"));
        badLocalPart.put("email", email);
        Map<String, Object> tooLongZone = new HashMap<>(newUser(unique("zone"), "long-enough"));
        tooLongZone.put("timezone", "Europe/" + "x".repeat(60));

        assertThat(ProblemBody.expect(create(tooLongEmail), 400).detail()).contains("'email'");
        assertThat(ProblemBody.expect(create(badLocalPart), 400).detail()).contains("'email'");
        assertThat(ProblemBody.expect(create(tooLongZone), 400).detail()).contains("'timezone'");
    }

    private static Map<String, Object> newUser(String username, String password) {
        return Map.of("username", username, "password", password, "role", "viewer");
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private WebTestClient.ResponseSpec create(Map<String, Object> body) {
        return web.post().uri("/api/v1/users").headers(headers -> headers.setBearerAuth(admin.token()))
                .bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec change(UUID id, Map<String, Object> body) {
        return web.patch().uri("/api/v1/users/{id}", id).headers(headers -> headers.setBearerAuth(admin.token()))
                .bodyValue(body).exchange();
    }
}
