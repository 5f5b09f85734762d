package dev.keiko.activities.budget;

import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How model calls reserve tokens of their owner's daily budget, {@code keiko.llm.reservations.*}.
 *
 * @param answerTokens the most a model call reserves for its answer, whatever its {@code maxTokens} (for an agent,
 *     the task's remaining budget); for a user with a daily budget the answer is capped at what was reserved,
 *     so that parallel calls do not hold the whole budget
 */
@Validated
@ConfigurationProperties("keiko.llm.reservations")
public record TokenReservationProperties(@DefaultValue("4096") @Positive int answerTokens) {
}
