package dev.keiko.api.auth;

import dev.keiko.api.problem.Problems;
import dev.keiko.domain.user.User;
import dev.keiko.domain.user.UserStore;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Mono;

/**
 * Checks a username and password. Failures answer 401 and never reveal which of the two was wrong; too many
 * failures for a username or from a client address answer 429 (see {@link LoginThrottle}), known username
 * or not, before any password is checked.
 */
@Component
public class PasswordLogin {

    static final String BAD_CREDENTIALS = "Wrong username or password";
    static final String DEACTIVATED = "This user is deactivated";

    private final UserStore users;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;

    public PasswordLogin(UserStore users, PasswordHasher hasher, LoginThrottle throttle) {
        this.users = users;
        this.hasher = hasher;
        this.throttle = throttle;
    }

    /** The active user these credentials belong to, or a 401 (or 429, 503) problem. */
    public Mono<User> authenticate(String username, String password, String clientAddress) {
        return Mono.defer(() -> {
            LoginThrottle.Booking booking = throttle.book(username, clientAddress);
            return check(username, password)
                    .doOnNext(user -> booking.succeeded())
                    .doOnError(e -> {
                        if (!isUnauthorized(e)) {
                            booking.undecided();
                        }
                    });
        });
    }

    private Mono<User> check(String username, String password) {
        if (!PasswordHasher.fits(password)) {
            // No stored hash can match what bcrypt would not read whole; no user can be learnt from this answer.
            return Mono.error(unauthorized(BAD_CREDENTIALS));
        }
        return users.findByUsername(username)
                .flatMap(user -> hasher.matches(password, user.passwordHash())
                        .flatMap(matches -> matches ? Mono.just(user) : Mono.error(unauthorized(BAD_CREDENTIALS))))
                .switchIfEmpty(Mono.defer(() -> hasher.matchesNothing(password))
                        .then(Mono.error(() -> unauthorized(BAD_CREDENTIALS))))
                // Only someone who knows the password learns that the user is deactivated.
                .flatMap(user -> user.active() ? Mono.just(user) : Mono.error(unauthorized(DEACTIVATED)));
    }

    private static boolean isUnauthorized(Throwable e) {
        return e instanceof ErrorResponseException problem && problem.getStatusCode() == HttpStatus.UNAUTHORIZED;
    }

    private static RuntimeException unauthorized(String detail) {
        return Problems.of(HttpStatus.UNAUTHORIZED, detail);
    }
}
