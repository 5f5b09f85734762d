package dev.keiko.api.auth;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The threads that hash and check passwords, kept apart from the ones that start and query workflows.
 *
 * @param threads how many passwords are hashed at once
 * @param queue how many more may wait; one more is refused with 503 and {@code Retry-After}
 * @param retryAfter what {@code Retry-After} says when the queue is full
 */
@Validated
@ConfigurationProperties("keiko.auth.password-hashing")
public record PasswordHashingProperties(
        @DefaultValue("2") @Positive @Max(64) int threads,
        @DefaultValue("32") @PositiveOrZero @Max(10_000) int queue,
        @DefaultValue("1s") Duration retryAfter) {
}
