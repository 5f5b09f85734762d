package dev.keiko.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.api.ApiTestSupport;
import dev.keiko.domain.user.Role;
import dev.keiko.domain.user.User;
import dev.keiko.domain.user.UserStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class BootstrappedAdminTest extends ApiTestSupport {

    @Autowired
    UserStore users;

    @Test
    void startUpCreatedTheAdminWithTheConfiguredPassword() {
        User admin = users.findByUsername("admin").block();

        assertThat(admin).isNotNull();
        assertThat(admin.role()).isEqualTo(Role.ADMIN);
        assertThat(admin.active()).isTrue();
        assertThat(admin.passwordHash()).startsWith("{bcrypt}").doesNotContain(ADMIN_PASSWORD);
        assertThat(token("admin", ADMIN_PASSWORD)).isNotBlank();
        assertThat(admin().id()).isEqualTo(admin.id());
    }
}
