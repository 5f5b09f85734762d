package dev.keiko.api.auth;

import dev.keiko.api.problem.Problems;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Mono;

/**
 * Hashes and checks passwords with Spring Security's delegating encoder (bcrypt by default). Hashing is
 * deliberately slow, so it runs on a small pool of its own with a bounded queue: a flood of logins is
 * answered 503 with {@code Retry-After} once the queue is full, and never takes the threads that start and
 * query workflows.
 */
@Component
public class PasswordHasher implements DisposableBean {

    /** bcrypt ignores everything after 72 bytes, so longer passwords are refused rather than truncated. */
    public static final int MAX_PASSWORD_BYTES = 72;

    private final PasswordEncoder encoder;
    private final PasswordHashingProperties properties;
    private final ThreadPoolExecutor executor;
    /** Checks running or waiting, at most the threads plus the queue. */
    private final Semaphore places;
    // Compared against when the user does not exist, so that an unknown username takes as long as a wrong password.
    private final String decoyHash;

    public PasswordHasher(PasswordEncoder encoder, PasswordHashingProperties properties) {
        this.encoder = encoder;
        this.properties = properties;
        // Admission counts places, not what the executor's queue holds at the moment: idle threads take work from
        // the queue a little after it is offered, so a burst as large as threads plus queue was sometimes refused.
        this.places = new Semaphore(properties.threads() + properties.queue());
        this.executor = new ThreadPoolExecutor(properties.threads(), properties.threads(), 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), Thread.ofPlatform().name("password-hashing-", 1).daemon().factory());
        this.decoyHash = encoder.encode(UUID.randomUUID().toString());
    }

    public static boolean fits(String password) {
        return password.getBytes(StandardCharsets.UTF_8).length <= MAX_PASSWORD_BYTES;
    }

    public Mono<String> hash(String password) {
        return onHashingThreads(() -> encoder.encode(password));
    }

    public Mono<Boolean> matches(String password, String hash) {
        return onHashingThreads(() -> encoder.matches(password, hash));
    }

    /** Spends the time of one check without any hash to check against; always false. */
    public Mono<Boolean> matchesNothing(String password) {
        return matches(password, decoyHash).map(ignored -> false);
    }

    /** How many hashes and checks wait for a thread now. */
    int queued() {
        return executor.getQueue().size();
    }

    private <T> Mono<T> onHashingThreads(Callable<T> work) {
        return Mono.create(sink -> {
            if (!places.tryAcquire()) {
                sink.error(busy());
                return;
            }
            AtomicBoolean left = new AtomicBoolean();
            Runnable leave = () -> {
                if (left.compareAndSet(false, true)) {
                    places.release();
                }
            };
            Future<?> submitted;
            try {
                submitted = executor.submit(() -> {
                    // The place is free once the work is done, before its caller hears the answer.
                    T value;
                    try {
                        value = work.call();
                    } catch (Throwable e) {
                        leave.run();
                        sink.error(e);
                        return;
                    }
                    leave.run();
                    sink.success(value);
                });
            } catch (RejectedExecutionException e) {
                leave.run();
                sink.error(busy());
                return;
            }
            // A caller that went away leaves its place in the queue to someone else; a check already running
            // leaves its place when it ends.
            sink.onCancel(() -> {
                if (submitted.cancel(false)) {
                    leave.run();
                }
                executor.purge();
            });
        });
    }

    private ErrorResponseException busy() {
        return Problems.retryLater(HttpStatus.SERVICE_UNAVAILABLE, "Too many password checks at once; try again"
                + " shortly", properties.retryAfter());
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }
}
