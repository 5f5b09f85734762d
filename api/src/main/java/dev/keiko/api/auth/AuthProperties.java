package dev.keiko.api.auth;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the API authenticates: the HS256 secret that signs access tokens, how long a token lives and the
 * password of the {@code admin} user created at first start-up.
 */
@ConfigurationProperties("keiko.auth")
public record AuthProperties(String jwtSecret, Duration tokenTtl, String adminPassword) {

    /** HS256 needs a key at least as long as its 256-bit hash. */
    static final int MIN_SECRET_BYTES = 32;

    public AuthProperties {
        if (tokenTtl == null) {
            tokenTtl = Duration.ofHours(1);
        }
        if (tokenTtl.isNegative() || tokenTtl.isZero()) {
            throw new IllegalArgumentException("keiko.auth.token-ttl must be positive, not " + tokenTtl);
        }
    }

    /** The signing key; fails start-up with a message naming the variable to set when it is missing or short. */
    public SecretKey signingKey() {
        if (jwtSecret == null || jwtSecret.isBlank()) {
            throw new IllegalStateException("No JWT signing secret: set KEIKO_JWT_SECRET (keiko.auth.jwt-secret)"
                    + " to a random string of at least " + MIN_SECRET_BYTES + " bytes");
        }
        byte[] secret = jwtSecret.getBytes(StandardCharsets.UTF_8);
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalStateException("KEIKO_JWT_SECRET (keiko.auth.jwt-secret) is " + secret.length
                    + " bytes; HS256 needs at least " + MIN_SECRET_BYTES);
        }
        return new SecretKeySpec(secret, "HmacSHA256");
    }
}
