package dev.keiko.api.auth;

import dev.keiko.domain.user.Role;
import dev.keiko.domain.user.UserProfile;
import dev.keiko.domain.user.UserStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Makes sure someone can administer Keiko: when no active admin exists, creates the user {@code admin} with
 * the password in {@code KEIKO_ADMIN_PASSWORD}. Runs once, after every bean (so after Flyway's migration)
 * and before the server takes requests; anything it cannot do fails start-up with a message saying why.
 */
@Component
public class AdminBootstrap implements SmartInitializingSingleton {

    public static final String ADMIN_USERNAME = "admin";
    static final int MIN_PASSWORD_LENGTH = 8;

    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

    private final UserStore users;
    private final PasswordHasher hasher;
    private final AuthProperties properties;

    public AdminBootstrap(UserStore users, PasswordHasher hasher, AuthProperties properties) {
        this.users = users;
        this.hasher = hasher;
        this.properties = properties;
    }

    @Override
    public void afterSingletonsInstantiated() {
        ensureAdmin().block();
    }

    /** Completes once an active admin exists, creating {@code admin} if none does. */
    public Mono<Void> ensureAdmin() {
        return users.existsWithRole(Role.ADMIN)
                .flatMap(exists -> exists ? Mono.<Void>empty() : createAdmin());
    }

    private Mono<Void> createAdmin() {
        String password = properties.adminPassword();
        if (password == null || password.isBlank()) {
            return Mono.error(new IllegalStateException("No admin user exists yet: set KEIKO_ADMIN_PASSWORD"
                    + " (keiko.auth.admin-password) to the password the user '" + ADMIN_USERNAME + "' should get"));
        }
        if (password.length() < MIN_PASSWORD_LENGTH || !PasswordHasher.fits(password)) {
            return Mono.error(new IllegalStateException("KEIKO_ADMIN_PASSWORD must have at least "
                    + MIN_PASSWORD_LENGTH + " characters and at most " + PasswordHasher.MAX_PASSWORD_BYTES + " bytes"));
        }
        return users.findByUsername(ADMIN_USERNAME)
                .flatMap(existing -> Mono.<Void>error(new IllegalStateException("No active admin exists, but the"
                        + " user '" + ADMIN_USERNAME + "' does (as an inactive or " + existing.role().value()
                        + " user), so it cannot be created; make it an active admin in the users table")))
                .switchIfEmpty(Mono.defer(() -> hasher.hash(password)
                        .flatMap(hash -> users.insert(ADMIN_USERNAME, hash, Role.ADMIN, UserProfile.EMPTY))
                        .doOnNext(admin -> log.info("Created the admin user '{}' ({})", ADMIN_USERNAME, admin.id()))
                        // Another API instance starting at the same time created it first.
                        .onErrorResume(DuplicateKeyException.class, e -> Mono.empty())
                        .then()));
    }
}
