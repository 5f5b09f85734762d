package dev.keiko.api.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.keiko.api.problem.Problems;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Counts failed logins in fixed windows per username and client address, per client address, and per
 * username from everywhere, in this API process (each process counts its own). An attempt books a failure
 * in each before its password is checked, so that parallel guesses cannot overrun a limit; a success
 * gives its bookings back and clears its username's count at its address, but never the failures other
 * usernames left on the same address.
 *
 * <p>A success also makes its address known for its username for a while: the bound from everywhere, which
 * anyone holding enough addresses can use up, does not hold back a known address, so that a spray from
 * elsewhere cannot lock a user out where the user signs in. The bounds per username at the address and per
 * address still hold there.
 */
@Component
class LoginThrottle {

    static final String TOO_MANY_FAILURES = "Too many failed logins; try again later";
    // Bounds memory when someone sends endless made-up usernames; their address is throttled all the same.
    private static final int MAX_TRACKED = 100_000;
    private static final int MAX_KNOWN_ADDRESSES = 100_000;

    private final LoginThrottleProperties properties;
    private final Clock clock = Clock.systemUTC();
    private final Cache<String, FailureWindow> windows;
    // "username@address" (no address has an '@') to when the username last signed in from there.
    private final Cache<String, Instant> knownAddresses;

    LoginThrottle(LoginThrottleProperties properties) {
        this.properties = properties;
        this.windows = Caffeine.newBuilder().maximumSize(MAX_TRACKED).expireAfterWrite(properties.window()).build();
        this.knownAddresses = Caffeine.newBuilder().maximumSize(MAX_KNOWN_ADDRESSES)
                .expireAfterWrite(properties.knownAddressTtl()).build();
    }

    /**
     * Books one failure for the username at the address, for the address and for the username, or throws
     * 429 with {@code Retry-After} when any of them has used up its failures; the username's failures from
     * everywhere do not refuse an address the username signed in from lately.
     *
     * @param address the client address as {@link ClientAddresses} names it (an IPv6 client by its /64)
     */
    Booking book(String username, String address) {
        Instant now = clock.instant();
        String usernameAtAddress = username + "@" + address;
        boolean knownAddress = knownAddresses.getIfPresent(usernameAtAddress) != null;
        List<Count> counts = List.of(
                new Count("username-at-address:" + usernameAtAddress, properties.failuresPerUsernameAndAddress(),
                        true),
                new Count("address:" + address, properties.failuresPerAddress(), true),
                new Count("username:" + username, properties.failuresPerUsernameEverywhere(), !knownAddress));
        List<String> booked = new ArrayList<>();
        for (Count count : counts) {
            Optional<Duration> wait = book(count.key(), count.limit(), now);
            if (wait.isPresent() && count.refuses()) {
                booked.forEach(key -> giveBack(key, now));
                throw Problems.retryLater(HttpStatus.TOO_MANY_REQUESTS, TOO_MANY_FAILURES, wait.get());
            }
            if (wait.isEmpty()) {
                booked.add(count.key());
            }
        }
        return new Booking(usernameAtAddress, counts.getFirst().key(), List.copyOf(booked), now);
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

    /** A bound and whether reaching it refuses this attempt; a full count that does not refuse books nothing. */
    private record Count(String key, int limit, boolean refuses) {
    }

    private record FailureWindow(Instant start, int failures) {

        boolean endsBy(Instant now, Duration length) {
            return !now.isBefore(start.plus(length));
        }
    }

    /** One attempt's booked failures: kept when the login fails, given back otherwise. */
    final class Booking {

        private final String usernameAtAddress;
        private final String usernameAtAddressKey;
        private final List<String> bookedKeys;
        private final Instant bookedAt;

        private Booking(String usernameAtAddress, String usernameAtAddressKey, List<String> bookedKeys,
                Instant bookedAt) {
            this.usernameAtAddress = usernameAtAddress;
            this.usernameAtAddressKey = usernameAtAddressKey;
            this.bookedKeys = bookedKeys;
            this.bookedAt = bookedAt;
        }

        /**
         * The password was right: the username starts afresh at this address, which becomes known for it; the
         * address keeps its other usernames' failures and the username its failures from elsewhere.
         */
        void succeeded() {
            knownAddresses.put(usernameAtAddress, bookedAt);
            windows.invalidate(usernameAtAddressKey);
            bookedKeys.stream().filter(key -> !key.equals(usernameAtAddressKey))
                    .forEach(key -> giveBack(key, bookedAt));
        }

        /** The password could not be checked (the server was busy or failed): not a failed login. */
        void undecided() {
            bookedKeys.forEach(key -> giveBack(key, bookedAt));
        }
    }
}
