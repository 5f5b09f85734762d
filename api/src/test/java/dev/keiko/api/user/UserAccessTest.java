package dev.keiko.api.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.api.ApiTestSupport;
import dev.keiko.api.auth.ProblemBody;
import dev.keiko.domain.user.Role;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Who may use which users endpoint. */
class UserAccessTest extends ApiTestSupport {

    @ParameterizedTest
    @EnumSource(value = Role.class, names = "ADMIN", mode = EnumSource.Mode.EXCLUDE)
    void onlyAdminsManageUsers(Role role) {
        TestUser caller = createUser(role);
        TestUser other = createUser(Role.VIEWER);

        ProblemBody create = ProblemBody.expect(web.post().uri("/api/v1/users")
                .headers(headers -> headers.setBearerAuth(caller.token()))
                .bodyValue(Map.of("username", "x" + other.username(), "password", "long-enough", "role", "admin"))
                .exchange(), 403);
        ProblemBody list = ProblemBody.expect(web.get().uri("/api/v1/users")
                .headers(headers -> headers.setBearerAuth(caller.token())).exchange(), 403);
        ProblemBody get = ProblemBody.expect(web.get().uri("/api/v1/users/{id}", other.id())
                .headers(headers -> headers.setBearerAuth(caller.token())).exchange(), 403);
        ProblemBody patch = ProblemBody.expect(web.patch().uri("/api/v1/users/{id}", caller.id())
                .headers(headers -> headers.setBearerAuth(caller.token()))
                .bodyValue(Map.of("role", "admin")).exchange(), 403);

        assertThat(create.detail()).isEqualTo("Your role does not allow POST /api/v1/users");
        assertThat(list.detail()).isEqualTo("Your role does not allow GET /api/v1/users");
        assertThat(get.status()).isEqualTo(403);
        assertThat(patch.status()).isEqualTo(403);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void everyoneSeesThemselves(Role role) {
        TestUser caller = createUser(role);

        UserView me = web.get().uri("/api/v1/users/me").headers(headers -> headers.setBearerAuth(caller.token()))
                .exchange()
                .expectStatus().isOk()
                .expectBody(UserView.class).returnResult().getResponseBody();

        assertThat(me.id()).isEqualTo(caller.id());
        assertThat(me.username()).isEqualTo(caller.username());
        assertThat(me.role()).isEqualTo(role.value());
        assertThat(me.active()).isTrue();
        assertThat(me.permissions()).containsExactlyInAnyOrderElementsOf(role.permissions());
    }

    @Test
    void meNeedsAToken() {
        ProblemBody.expect(web.get().uri("/api/v1/users/me").exchange(), 401);
    }

    @Test
    void anAdminCanUseEveryUsersEndpoint() {
        TestUser admin = createUser(Role.ADMIN);

        web.get().uri("/api/v1/users").headers(headers -> headers.setBearerAuth(admin.token()))
                .exchange().expectStatus().isOk();
        web.get().uri("/api/v1/users/{id}", admin.id()).headers(headers -> headers.setBearerAuth(admin.token()))
                .exchange().expectStatus().isOk();
    }
}
