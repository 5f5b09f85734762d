package dev.keiko.api.auth;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Fails start-up when {@code keiko.auth.login-throttle.failures-per-username} is set (in any spelling,
 * {@code KEIKO_AUTH_LOGIN_THROTTLE_FAILURES_PER_USERNAME} included). It once bounded a username's failures
 * at all, and a small value kept from then, read as the bound from everywhere, would let anyone lock a user
 * out from a few addresses; its successor has a name of its own so that no old value carries over unseen.
 */
@Component
class RetiredLoginThrottleSettings {

    static final String RETIRED = "keiko.auth.login-throttle.failures-per-username";
    static final String SUCCESSOR = "keiko.auth.login-throttle.failures-per-username-everywhere";

    RetiredLoginThrottleSettings(Environment environment) {
        if (Binder.get(environment).bind(RETIRED, Bindable.of(String.class)).isBound()) {
            throw new IllegalStateException(RETIRED + " (KEIKO_AUTH_LOGIN_THROTTLE_FAILURES_PER_USERNAME) is no"
                    + " longer read: remove it, and set " + SUCCESSOR
                    + " (KEIKO_AUTH_LOGIN_THROTTLE_FAILURES_PER_USERNAME_EVERYWHERE) to bound a username's failed"
                    + " logins from all addresses together (default 100); failures-per-username-and-address"
                    + " bounds them from one address");
        }
    }
}
