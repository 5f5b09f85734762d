package dev.keiko.api.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.keiko.api.problem.Problems;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Counts failed logins per username and per client address in fixed windows, in this API process (each
 * process counts its own). An attempt books a failure before its password is checked, so that parallel
 * guesses cannot overrun the limit; a success gives its booking back and clears its username's count, but
 * never the failures other usernames left on the same address.
 */
@Component
class LoginThrottle {

    static final String TOO_MANY_FAILURES = "Too many failed logins; try again later";
    // Bounds memory when someone sends endless made-up usernames; their address is throttled all the same.
    private static final int MAX_TRACKED = 100_000;

    private final LoginThrottleProperties properties;
    private final Clock clock = Clock.systemUTC();
    private final Cache<String, FailureWindow> windows;

    LoginThrottle(LoginThrottleProperties properties) {
        this.properties = properties;
        this.windows = Caffeine.newBuilder().maximumSize(MAX_TRACKED).expireAfterWrite(properties.window()).build();
    }

    /**
     * Books one failure for the username and for the address, or throws 429 with {@code Retry-After} when
     * either has used up its failures.
     */
    Booking book(String username, String address) {
        Instant now = clock.instant();
        String usernameKey = "username:" + username;
        String addressKey = "address:" + address;
        Optional<Duration> wait = book(usernameKey, properties.failuresPerUsername(), now);
        if (wait.isEmpty()) {
            wait = book(addressKey, properties.failuresPerAddress(), now);
            if (wait.isPresent()) {
                giveBack(usernameKey, now);
            }
        }
        if (wait.isPresent()) {
            throw Problems.retryLater(HttpStatus.TOO_MANY_REQUESTS, TOO_MANY_FAILURES, wait.get());
        }
        return new Booking(usernameKey, addressKey, now);
    }

    /** The wait until the key's window ends when its failures are used up, else empty after booking one. */
    private Optional<Duration> book(String key, int limit, Instant now) {
        Duration[] wait = new Duration[1];
        windows.asMap().compute(key, (ignored, window) -> {
            if (window == null || window.endsBy(now, properties.window())) {
                return new FailureWindow(now, 1);
            }
            if (window.failures() >= limit) {
                wait[0] = Duration.between(now, window.start().plus(properties.window()));
                return window;
            }
            return new FailureWindow(window.start(), window.failures() + 1);
        });
        return Optional.ofNullable(wait[0]);
    }

    private void giveBack(String key, Instant bookedAt) {
        windows.asMap().computeIfPresent(key, (ignored, window) -> window.start().isAfter(bookedAt) ? window
                : new FailureWindow(window.start(), Math.max(0, window.failures() - 1)));
    }

    private record FailureWindow(Instant start, int failures) {

        boolean endsBy(Instant now, Duration length) {
            return !now.isBefore(start.plus(length));
        }
    }

    /** One attempt's booked failure: kept when the login fails, given back otherwise. */
    final class Booking {

        private final String usernameKey;
        private final String addressKey;
        private final Instant bookedAt;

        private Booking(String usernameKey, String addressKey, Instant bookedAt) {
            this.usernameKey = usernameKey;
            this.addressKey = addressKey;
            this.bookedAt = bookedAt;
        }

        /** The password was right: the username starts afresh; the address keeps its other failures. */
        void succeeded() {
            windows.invalidate(usernameKey);
            giveBack(addressKey, bookedAt);
        }

        /** The password could not be checked (the server was busy or failed): not a failed login. */
        void undecided() {
            giveBack(usernameKey, bookedAt);
            giveBack(addressKey, bookedAt);
        }
    }
}
