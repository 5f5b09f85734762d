package dev.keiko.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.keiko.domain.user.Role;
import dev.keiko.domain.user.User;
import dev.keiko.domain.user.UserProfile;
import dev.keiko.domain.user.UserStore;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bootstrap against a database of its own, since the shared one always has an admin. */
class AdminBootstrapTest {

    private static final String SECRET = "a-secret-for-the-admin-bootstrap-tests";

    private final PasswordHasher hasher = new PasswordHasher(new PasswordEncoding().passwordEncoder(),
            new PasswordHashingProperties(1, 4, Duration.ofSeconds(1)));
    private FreshDatabase database;
    private UserStore users;

    @BeforeEach
    void freshDatabase() {
        database = new FreshDatabase();
        users = new UserStore(database.client());
    }

    @AfterEach
    void dropDatabase() {
        hasher.destroy();
        database.close();
    }

    @Test
    void withoutAnAdminOrPasswordStartUpFailsSayingWhatToSet() {
        for (String password : new String[] {null, "", "  "}) {
            assertThatIllegalStateException().isThrownBy(() -> bootstrap(password).afterSingletonsInstantiated())
                    .withMessageContaining("set KEIKO_ADMIN_PASSWORD");
        }
        assertThat(users.findByUsername("admin").blockOptional()).isEmpty();
    }

    @Test
    void aTooShortAdminPasswordIsRefused() {
        assertThatIllegalStateException().isThrownBy(() -> bootstrap("short").afterSingletonsInstantiated())
                .withMessageContaining("KEIKO_ADMIN_PASSWORD must have at least 8 characters");
    }

    @Test
    void createsTheAdminOnceWithTheConfiguredPassword() {
        bootstrap("first-admin-password").afterSingletonsInstantiated();
        bootstrap("second-admin-password").afterSingletonsInstantiated();

        User admin = users.findByUsername("admin").block();
        assertThat(admin.role()).isEqualTo(Role.ADMIN);
        assertThat(admin.active()).isTrue();
        assertThat(hasher.matches("first-admin-password", admin.passwordHash()).block()).isTrue();
        assertThat(users.findAll().collectList().block()).hasSize(1);
    }

    @Test
    void anotherActiveAdminIsEnough() {
        users.insert("chief", hasher.hash("chief-password").block(), Role.ADMIN, UserProfile.EMPTY).block();

        bootstrap(null).afterSingletonsInstantiated();

        assertThat(users.findByUsername("admin").blockOptional()).isEmpty();
    }

    @Test
    void aDeactivatedAdminNamedAdminIsNotSilentlyRevived() {
        User old = users.insert("admin", hasher.hash("old-password").block(), Role.ADMIN, UserProfile.EMPTY).block();
        users.update(old.id(), null, false).block();

        assertThatIllegalStateException().isThrownBy(() -> bootstrap("new-admin-password").afterSingletonsInstantiated())
                .withMessageContaining("user 'admin' does");
    }

    private AdminBootstrap bootstrap(String adminPassword) {
        return new AdminBootstrap(users, hasher, new AuthProperties(SECRET, Duration.ofHours(1), adminPassword));
    }
}
