package dev.keiko.activities.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void readsSecondsAndMilliseconds() {
        assertThat(delay(Map.of("Retry-After", "7"))).isEqualTo(Duration.ofSeconds(7));
        assertThat(delay(Map.of("retry-after-ms", "1500"))).isEqualTo(Duration.ofMillis(1500));
        assertThat(delay(Map.of("retry-after-ms", "250.4"))).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void takesTheLongerOfBoth() {
        assertThat(delay(Map.of("Retry-After", "2", "retry-after-ms", "1500"))).isEqualTo(Duration.ofSeconds(2));
        assertThat(delay(Map.of("Retry-After", "1", "retry-after-ms", "1500"))).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void readsAnHttpDate() {
        assertThat(delay(Map.of("Retry-After", "Thu, 26 Nov 2026 10:00:30 GMT"))).isEqualTo(Duration.ofSeconds(30));
        assertThat(delay(Map.of("Retry-After", "Thu, 26 Nov 2026 09:59:00 GMT"))).isEqualTo(Duration.ZERO);
    }

    @Test
    void asksForNothingWithoutUsableHeaders() {
        assertThat(delay(Map.of())).isNull();
        assertThat(delay(Map.of("Retry-After", "soon", "retry-after-ms", "later"))).isNull();
    }

    private static Duration delay(Map<String, String> headers) {
        return RetryAfter.of(headers::get, NOW);
    }
}
