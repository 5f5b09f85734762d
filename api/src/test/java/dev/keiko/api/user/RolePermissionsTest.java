package dev.keiko.api.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.domain.user.Role;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RolePermissionsTest {

    @Test
    void eachRoleGrantsExactlyItsPermissions() {
        assertThat(Role.ADMIN.permissions()).containsExactlyInAnyOrder("*");
        assertThat(Role.OPERATOR.permissions()).containsExactlyInAnyOrder("agents:*", "tasks:*");
        assertThat(Role.USER.permissions()).containsExactlyInAnyOrder("tasks:create", "tasks:read", "agents:read");
        assertThat(Role.VIEWER.permissions()).containsExactlyInAnyOrder("tasks:read", "agents:read");
        assertThat(Role.values()).hasSize(4);
    }

    @Test
    void onlyAdminsManageUsers() {
        assertThat(Arrays.stream(Role.values()).filter(role -> role.grants(UserManagement.MANAGE_USERS)))
                .containsExactly(Role.ADMIN);
    }

    @Test
    void wildcardsGrantTheirWholeArea() {
        assertThat(Role.OPERATOR.grants("tasks:cancel")).isTrue();
        assertThat(Role.OPERATOR.grants("agents:delete")).isTrue();
        assertThat(Role.USER.grants("tasks:cancel")).isFalse();
        assertThat(Role.VIEWER.grants("tasks:create")).isFalse();
        assertThat(Role.VIEWER.grants("agents:read")).isTrue();
    }

    @Test
    void theRequestPatternListsEveryRole() {
        String roles = Arrays.stream(Role.values()).map(Role::value).collect(Collectors.joining("|"));

        assertThat(NewUserRequest.ROLES).isEqualTo(roles);
        assertThat(NewUserRequest.ROLES_MESSAGE).isEqualTo("must be one of " + roles.replace("|", ", "));
    }
}
