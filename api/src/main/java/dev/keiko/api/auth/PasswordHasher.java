package dev.keiko.api.auth;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Hashes and checks passwords with Spring Security's delegating encoder (bcrypt by default). Hashing is
 * deliberately slow, so it runs on the bounded-elastic scheduler, never on the event loop.
 */
@Component
public class PasswordHasher {

    /** bcrypt ignores everything after 72 bytes, so longer passwords are refused rather than truncated. */
    public static final int MAX_PASSWORD_BYTES = 72;

    private final PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
    // Compared against when the user does not exist, so that an unknown username takes as long as a wrong password.
    private final String decoyHash = encoder.encode(UUID.randomUUID().toString());

    public static boolean fits(String password) {
        return password.getBytes(StandardCharsets.UTF_8).length <= MAX_PASSWORD_BYTES;
    }

    public Mono<String> hash(String password) {
        return Mono.fromCallable(() -> encoder.encode(password)).subscribeOn(Schedulers.boundedElastic());
    }

    public Mono<Boolean> matches(String password, String hash) {
        return Mono.fromCallable(() -> encoder.matches(password, hash)).subscribeOn(Schedulers.boundedElastic());
    }

    /** Spends the time of one check without any hash to check against; always false. */
    public Mono<Boolean> matchesNothing(String password) {
        return matches(password, decoyHash).map(ignored -> false);
    }
}
