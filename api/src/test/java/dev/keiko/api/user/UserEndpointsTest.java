package dev.keiko.api.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.api.ApiTestSupport;
import dev.keiko.api.auth.ProblemBody;
import dev.keiko.domain.user.Role;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Creating, listing and changing users, as an admin. */
class UserEndpointsTest extends ApiTestSupport {

    private TestUser admin;

    @BeforeEach
    void signInAsAdmin() {
        admin = createUser(Role.ADMIN);
    }

    @Test
    void createsAUserWhoCanThenSignIn() {
        String username = unique("new.user");
        Map<String, Object> body = Map.of("username", username, "password", "s3cret-enough", "role", "operator",
                "fullName", "Ada Lovelace", "email", "ada@example.com", "timezone", "Europe/London");

        var result = post(body).expectStatus().isCreated()
                .expectBody(UserView.class).returnResult();
        UserView created = result.getResponseBody();

        assertThat(result.getResponseHeaders().getLocation()).hasToString("/api/v1/users/" + created.id());
        assertThat(created.username()).isEqualTo(username);
        assertThat(created.role()).isEqualTo("operator");
        assertThat(created.active()).isTrue();
        assertThat(created.permissions()).containsExactly("agents:*", "tasks:*");
        assertThat(created.fullName()).isEqualTo("Ada Lovelace");
        assertThat(created.email()).isEqualTo("ada@example.com");
        assertThat(created.timezone()).isEqualTo("Europe/London");
        assertThat(created.createdAt()).isNotNull().isEqualTo(created.updatedAt());
        assertThat(token(username, "s3cret-enough")).isNotBlank();
        get("/api/v1/users/" + created.id()).expectStatus().isOk()
                .expectBody(UserView.class).isEqualTo(created);
    }

    @Test
    void neverShowsThePasswordHash() {
        String username = unique("plain");
        String json = new String(post(Map.of("username", username, "password", "s3cret-enough", "role", "user"))
                .expectStatus().isCreated().expectBody().returnResult().getResponseBodyContent());
        String list = new String(get("/api/v1/users").expectStatus().isOk()
                .expectBody().returnResult().getResponseBodyContent());

        assertThat(json).doesNotContainIgnoringCase("password").doesNotContain("s3cret-enough").contains("\"email\":null");
        assertThat(list).doesNotContainIgnoringCase("password").doesNotContain("{bcrypt}");
    }

    @Test
    void listsUsers() {
        TestUser viewer = createUser(Role.VIEWER);

        List<UserView> users = get("/api/v1/users").expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<UserView>>() { }).returnResult().getResponseBody();

        assertThat(users).extracting(UserView::username).contains("admin", admin.username(), viewer.username());
    }

    @Test
    void aTakenUsernameConflicts() {
        TestUser existing = createUser(Role.USER);

        ProblemBody problem = ProblemBody.expect(post(Map.of("username", existing.username(),
                "password", "another-password", "role", "viewer")), 409);

        assertThat(problem.detail()).contains(existing.username()).contains("taken");
    }

    @Test
    void changesRoleAndActiveFlag() {
        TestUser user = createUser(Role.USER);

        UserView promoted = patch(user.id(), Map.of("role", "operator")).expectStatus().isOk()
                .expectBody(UserView.class).returnResult().getResponseBody();
        UserView deactivated = patch(user.id(), Map.of("active", false)).expectStatus().isOk()
                .expectBody(UserView.class).returnResult().getResponseBody();

        assertThat(promoted.role()).isEqualTo("operator");
        assertThat(promoted.active()).isTrue();
        assertThat(deactivated.role()).isEqualTo("operator");
        assertThat(deactivated.active()).isFalse();
        assertThat(deactivated.updatedAt()).isAfterOrEqualTo(deactivated.createdAt());
        ProblemBody.expect(web.post().uri("/api/v1/auth/token")
                .bodyValue(Map.of("username", user.username(), "password", user.password())).exchange(), 401);

        UserView reactivated = patch(user.id(), Map.of("active", true)).expectStatus().isOk()
                .expectBody(UserView.class).returnResult().getResponseBody();
        assertThat(reactivated.active()).isTrue();
        assertThat(token(user.username(), user.password())).isNotBlank();
    }

    @Test
    void changingAnUnknownUserIsNotFound() {
        UUID unknown = UUID.randomUUID();

        assertThat(ProblemBody.expect(patch(unknown, Map.of("active", false)), 404).detail()).contains(unknown.toString());
        ProblemBody.expect(get("/api/v1/users/" + unknown), 404);
    }

    @Test
    void anEmptyChangeIsABadRequest() {
        ProblemBody.expect(patch(createUser(Role.USER).id(), Map.of()), 400);
    }

    @Test
    void anAdminCannotDemoteOrDeactivateThemselves() {
        ProblemBody.expect(patch(admin.id(), Map.of("role", "viewer")), 409);
        ProblemBody.expect(patch(admin.id(), Map.of("active", false)), 409);
        patch(admin.id(), Map.of("role", "admin", "active", true)).expectStatus().isOk();
    }

    @Test
    void aBadRoleNamesTheAllowedValues() {
        ProblemBody created = ProblemBody.expect(post(newUser("role", "Admin")), 400);
        ProblemBody changed = ProblemBody.expect(patch(createUser(Role.USER).id(), Map.of("role", "root")), 400);

        assertThat(created.detail()).isEqualTo("'role' must be one of admin, operator, user, viewer");
        assertThat(changed.detail()).isEqualTo(created.detail());
    }

    @Test
    void invalidFieldsAreNamed() {
        assertBadField("username", "ab");
        assertBadField("username", "x".repeat(65));
        assertBadField("username", "has space");
        assertBadField("username", null);
        assertBadField("password", "short");
        assertBadField("password", "é".repeat(40));
        assertBadField("role", null);
        assertBadField("email", "not-an-email");
        assertBadField("timezone", "Mars/Olympus_Mons");
        assertBadField("fullName", "x".repeat(201));
    }

    @Test
    void malformedJsonIsABadRequest() {
        ProblemBody.expect(web.post().uri("/api/v1/users").headers(headers -> headers.setBearerAuth(admin.token()))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"username\": ").exchange(), 400);
        ProblemBody.expect(web.patch().uri("/api/v1/users/{id}", admin.id())
                .headers(headers -> headers.setBearerAuth(admin.token()))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"active\": \"maybe\"}").exchange(), 400);
    }

    private void assertBadField(String field, Object value) {
        ProblemBody problem = ProblemBody.expect(post(newUser(field, value)), 400);
        assertThat(problem.detail()).as("%s = %s", field, value).contains("'" + field + "'");
    }

    private Map<String, Object> newUser(String field, Object value) {
        Map<String, Object> body = new HashMap<>(Map.of("username", unique("valid"), "password", "long-enough",
                "role", "viewer"));
        body.put(field, value);
        return body;
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private WebTestClient.ResponseSpec post(Map<String, Object> body) {
        return web.post().uri("/api/v1/users").headers(headers -> headers.setBearerAuth(admin.token()))
                .bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec patch(UUID id, Map<String, Object> body) {
        return web.patch().uri("/api/v1/users/{id}", id).headers(headers -> headers.setBearerAuth(admin.token()))
                .bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec get(String path) {
        return web.get().uri(path).headers(headers -> headers.setBearerAuth(admin.token())).exchange();
    }
}
