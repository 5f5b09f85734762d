package dev.keiko.activities.budget;

import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How model calls reserve tokens of their owner's daily budget, {@code keiko.llm.reservations.*}.
 *
 * @param answerTokens what a call of a user with a daily budget reserves for its answer when its task names
 *     no {@code maxTokens}; the answer is capped at it
 */
@Validated
@ConfigurationProperties("keiko.llm.reservations")
public record TokenReservationProperties(@DefaultValue("4096") @Positive int answerTokens) {
}
