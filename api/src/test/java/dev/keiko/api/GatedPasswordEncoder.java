package dev.keiko.api;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The real password encoder behind a gate: while the gate is shut every hash and check waits, as if
 * bcrypt were very slow, so that a test can fill the hashing threads on purpose.
 */
public class GatedPasswordEncoder implements PasswordEncoder {

    private static final Duration LONGEST_WAIT = Duration.ofSeconds(60);

    private final PasswordEncoder real = PasswordEncoderFactories.createDelegatingPasswordEncoder();
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);

    public void shut() {
        gate = new CountDownLatch(1);
    }

    public void open() {
        gate.countDown();
    }

    /** How many hashes or checks wait at the gate now. */
    public int waiting() {
        return waiting.get();
    }

    @Override
    public String encode(CharSequence raw) {
        pass();
        return real.encode(raw);
    }

    @Override
    public boolean matches(CharSequence raw, String encoded) {
        pass();
        return real.matches(raw, encoded);
    }

    private void pass() {
        waiting.incrementAndGet();
        try {
            if (!gate.await(LONGEST_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("The test left the password gate shut");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            waiting.decrementAndGet();
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    public static class Configuration {

        @Bean
        @Primary
        GatedPasswordEncoder gatedPasswordEncoder() {
            return new GatedPasswordEncoder();
        }
    }
}
