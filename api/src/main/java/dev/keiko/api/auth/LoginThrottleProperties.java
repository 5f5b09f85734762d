package dev.keiko.api.auth;

import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How many failed logins a username and a client address may have in a window before the token endpoint
 * answers 429 for them until the window ends.
 *
 * @param failuresPerUsername failed logins per username (known or not) in a window
 * @param failuresPerAddress failed logins per client address, whichever usernames they named
 * @param window how long a window lasts, counted from its first failure
 * @param trustedProxies addresses or CIDR ranges of reverse proxies whose {@code X-Forwarded-For} names the
 *     client; empty (the default) means the connection's address is the client's
 */
@Validated
@ConfigurationProperties("keiko.auth.login-throttle")
public record LoginThrottleProperties(
        @DefaultValue("5") @Positive int failuresPerUsername,
        @DefaultValue("20") @Positive int failuresPerAddress,
        @DefaultValue("5m") Duration window,
        @DefaultValue List<String> trustedProxies) {

    public LoginThrottleProperties {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("keiko.auth.login-throttle.window must be positive, not " + window);
        }
    }
}
