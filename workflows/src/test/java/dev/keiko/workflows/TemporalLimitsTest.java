package dev.keiko.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TemporalLimitsTest {

    @Test
    void aShortSummaryIsKeptAsItIs() {
        assertThat(TemporalLimits.summary("tool: everything/echo")).isEqualTo("tool: everything/echo");
    }

    @Test
    void aLongSummaryIsCutToTheBudgetAndEndsWithAnEllipsis() {
        String summary = TemporalLimits.summary("completion: " + "d".repeat(600));

        assertThat(summary).startsWith("completion: ddd").endsWith("\u2026");
        assertThat(summary.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(TemporalLimits.SUMMARY_BYTES);
        assertThat(summary.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(TemporalLimits.SUMMARY_BYTES - 4);
    }

    @Test
    void detailsAreCleanedAsSummariesAreAndCutAtTheirOwnBudget() {
        String line = "Keiko task 1: agent, agent reviewer\n(1)";
        String details = TemporalLimits.details("Keiko task 1: " + "s".repeat(2000));

        assertThat(TemporalLimits.details(line)).isEqualTo("Keiko task 1: agent, agent reviewer (1)");
        assertThat(details).startsWith("Keiko task 1: sss").endsWith("\u2026");
        assertThat(details.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(TemporalLimits.DETAILS_BYTES)
                .hasSizeGreaterThan(TemporalLimits.DETAILS_BYTES - 4);
    }

    @Test
    void cuttingNeverSplitsACodePoint() {
        // 'é' is two UTF-8 bytes; the emoji is two chars, written as two \\uXXXX escapes (12 bytes).
        String text = "é".repeat(3) + "\uD83D\uDE00".repeat(3);

        assertThat(TemporalLimits.cut(text, 5)).isEqualTo("éé");
        assertThat(TemporalLimits.cut(text, 17)).isEqualTo("ééé");
        assertThat(TemporalLimits.cut(text, 18)).isEqualTo("ééé\uD83D\uDE00");
        assertThat(TemporalLimits.cut(text, 29)).isEqualTo("ééé\uD83D\uDE00");
    }

    @Test
    void controlCharactersAndLoneSurrogatesAreReplaced() {
        assertThat(TemporalLimits.summary("a\nb\u0000c\uD800d")).isEqualTo("a b c\uFFFDd");
    }

    @ParameterizedTest
    @ValueSource(strings = {"d", "é", "\uD83D\uDE00", "\"", "\\", "\n", "\u0001", "\uD800", "a\"\\\u0007é"})
    void theEncodedSummaryOfAnyLongTextFitsTheServersLimit(String unit) {
        String summary = TemporalLimits.summary("llm: " + unit.repeat(700));

        Payload payload = DefaultDataConverter.STANDARD_INSTANCE.toPayload(summary).orElseThrow();

        assertThat(payload.getSerializedSize()).isLessThanOrEqualTo(TemporalLimits.SUMMARY_PAYLOAD_BYTES);
        assertThat(DefaultDataConverter.STANDARD_INSTANCE.fromPayload(payload, String.class, String.class))
                .isEqualTo(summary);
    }
}
