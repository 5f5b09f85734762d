package dev.keiko.api.auth;

import dev.keiko.api.problem.Problems;
import dev.keiko.domain.user.User;
import dev.keiko.domain.user.UserStore;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Checks a username and password. Failures answer 401 and never reveal which of the two was wrong. */
@Component
public class PasswordLogin {

    static final String BAD_CREDENTIALS = "Wrong username or password";
    static final String DEACTIVATED = "This user is deactivated";

    private final UserStore users;
    private final PasswordHasher hasher;

    public PasswordLogin(UserStore users, PasswordHasher hasher) {
        this.users = users;
        this.hasher = hasher;
    }

    /** The active user these credentials belong to, or a 401 problem. */
    public Mono<User> authenticate(String username, String password) {
        return users.findByUsername(username)
                .flatMap(user -> hasher.matches(password, user.passwordHash())
                        .flatMap(matches -> matches ? Mono.just(user) : Mono.error(unauthorized(BAD_CREDENTIALS))))
                .switchIfEmpty(Mono.defer(() -> hasher.matchesNothing(password))
                        .then(Mono.error(() -> unauthorized(BAD_CREDENTIALS))))
                // Only someone who knows the password learns that the user is deactivated.
                .flatMap(user -> user.active() ? Mono.just(user) : Mono.error(unauthorized(DEACTIVATED)));
    }

    private static RuntimeException unauthorized(String detail) {
        return Problems.of(HttpStatus.UNAUTHORIZED, detail);
    }
}
