package dev.keiko.activities.llm;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

/**
 * How long a rate-limited provider asked to wait: Azure sends {@code retry-after-ms} (milliseconds)
 * and {@code Retry-After} (seconds, or an HTTP date); the longer of the two wins.
 */
final class RetryAfter {

    static final String MILLIS_HEADER = "retry-after-ms";
    static final String HEADER = "Retry-After";

    private RetryAfter() {
    }

    /** The delay the headers ask for, or null when they ask for none. */
    static Duration of(Function<String, String> headers, Clock clock) {
        Duration millis = millis(headers.apply(MILLIS_HEADER));
        Duration retryAfter = retryAfter(headers.apply(HEADER), clock);
        if (millis == null) {
            return retryAfter;
        }
        return retryAfter == null || millis.compareTo(retryAfter) > 0 ? millis : retryAfter;
    }

    private static Duration millis(String value) {
        try {
            return value == null ? null : nonNegative(Duration.ofMillis(Math.round(Double.parseDouble(value.trim()))));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Duration retryAfter(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return nonNegative(Duration.ofSeconds(Long.parseLong(value.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                return nonNegative(Duration.between(clock.instant(), at.toInstant()));
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private static Duration nonNegative(Duration delay) {
        return delay.isNegative() ? Duration.ZERO : delay;
    }
}
