package dev.keiko.api.auth;

import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How many failed logins a username from one client address, a client address, and a username from
 * everywhere may have in a window before the token endpoint answers 429 for them until the window ends. An
 * IPv6 client counts by its /64 network, which one attacker usually holds whole.
 *
 * @param failuresPerUsernameAndAddress failed logins per username (known or not) from one client address:
 *     someone guessing elsewhere cannot lock a user out where the user signs in
 * @param failuresPerAddress failed logins per client address, whichever usernames they named
 * @param failuresPerUsernameEverywhere failed logins per username from all addresses together, a much higher
 *     bound on guessing one user's password from many addresses; it does not hold back an address the
 *     username signed in from within {@code knownAddressTtl}
 * @param knownAddressTtl how long a successful sign-in keeps its address known for its username
 * @param window how long a window lasts, counted from its first failure
 * @param trustedProxies addresses or CIDR ranges of reverse proxies whose {@code X-Forwarded-For} names the
 *     client; empty (the default) means the connection's address is the client's
 */
@Validated
@ConfigurationProperties("keiko.auth.login-throttle")
public record LoginThrottleProperties(
        @DefaultValue("5") @Positive int failuresPerUsernameAndAddress,
        @DefaultValue("20") @Positive int failuresPerAddress,
        @DefaultValue("100") @Positive int failuresPerUsernameEverywhere,
        @DefaultValue("30d") Duration knownAddressTtl,
        @DefaultValue("5m") Duration window,
        @DefaultValue List<String> trustedProxies) {

    public LoginThrottleProperties {
        requirePositive("window", window);
        requirePositive("known-address-ttl", knownAddressTtl);
    }

    private static void requirePositive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("keiko.auth.login-throttle." + name + " must be positive, not " + value);
        }
    }
}
