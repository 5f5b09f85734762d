package dev.keiko.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ReportTest {

    private static final Machine MACHINE = new Machine(2, 4L * 1024 * 1024 * 1024, "25.0.3 (OpenJDK)", "Linux 6 amd64",
            "AMD EPYC", "abc123", Instant.parse("2026-12-02T10:00:00Z"));

    private static final ScenarioResult SUBMISSION = new ScenarioResult("submission", "Submissions per second.",
            List.of(new Figure("Keiko throughput", 89.4321, "tasks/s"), new Figure("p50", 550, "ms"),
                    new Figure("nothing measured", Double.NaN, "ms")),
            List.of(Target.atLeast("Keiko / bare", 0.8, 0.1221, "x", "the API spends 40 ms of CPU per request"),
                    Target.atMost("p95", 250, 186, "ms", "never shown: met")),
            List.of("2000 of each | at concurrency 50"));

    @TempDir
    Path dir;

    @Test
    void writesATablePerScenarioWithTargetsMetOrMissedAndTheCommand() throws Exception {
        Report.write(dir, MACHINE, List.of(SUBMISSION), "the command");

        String md = Files.readString(dir.resolve(Report.MARKDOWN));
        assertThat(md).contains("Made by `the command`")
                .contains("| cores | 2 |")
                .contains("| memory | 4 GiB |")
                .contains("| commit | abc123 |")
                .contains("Targets met: 1 of 2.")
                .contains("## submission")
                .contains("| Keiko / bare | >= 0.8 x | 0.122 x | **missed** |")
                .contains("| p95 | <= 250 ms | 186 ms | met |")
                .contains("- Missed, Keiko / bare: the API spends 40 ms of CPU per request")
                .doesNotContain("never shown")
                .contains("| Keiko throughput | 89.4 | tasks/s |")
                .contains("| p50 | 550 | ms |")
                .contains("| nothing measured | n/a | ms |")
                .contains("- 2000 of each | at concurrency 50");
    }

    @Test
    void writesTheSameAsJsonWithNullForWhatWasNotMeasured() throws Exception {
        Report.write(dir, MACHINE, List.of(SUBMISSION), "the command");

        JsonNode json = JsonMapper.builder().build().readTree(Files.readString(dir.resolve(Report.JSON)));
        assertThat(json.path("command").asString()).isEqualTo("the command");
        assertThat(json.path("machine").path("cores").asInt()).isEqualTo(2);
        assertThat(json.path("machine").path("gitCommit").asString()).isEqualTo("abc123");
        JsonNode scenario = json.path("scenarios").get(0);
        assertThat(scenario.path("name").asString()).isEqualTo("submission");
        assertThat(scenario.path("figures").get(0).path("value").asDouble()).isEqualTo(89.4321);
        assertThat(scenario.path("figures").get(2).path("value").isNull()).isTrue();
        JsonNode missed = scenario.path("targets").get(0);
        assertThat(missed.path("met").asBoolean()).isFalse();
        assertThat(missed.path("bound").asDouble()).isEqualTo(0.8);
        assertThat(missed.path("measured").asDouble()).isEqualTo(0.1221);
        assertThat(missed.path("explanation").asString()).contains("40 ms");
        assertThat(scenario.path("targets").get(1).path("explanation").isNull()).isTrue();
        assertThat(scenario.path("notes").get(0).asString()).isEqualTo("2000 of each | at concurrency 50");
    }

    @Test
    void aFailedScenarioSaysSoAndKeepsWhatItMeasured() {
        ScenarioResult failed = ScenarioResult.failed("throughput", "Tasks per second.",
                List.of(new Figure("one worker", 41, "tasks/s")), new IllegalStateException("the worker died"));

        String md = Report.markdown(MACHINE, List.of(failed), "c");

        assertThat(md).contains("| one worker | 41 | tasks/s |")
                .contains("- FAILED: IllegalStateException: the worker died")
                .contains("Targets met: 0 of 0.");
    }

    @Test
    void showsThreeSignificantDigitsWithoutExponents() {
        assertThat(Report.number(729)).isEqualTo("729");
        assertThat(Report.number(1520.4)).isEqualTo("1520");
        assertThat(Report.number(123456.7)).isEqualTo("123000");
        assertThat(Report.number(12.345)).isEqualTo("12.3");
        assertThat(Report.number(0.12345)).isEqualTo("0.123");
        assertThat(Report.number(0.0004)).isEqualTo("0");
        assertThat(Report.number(1.5)).isEqualTo("1.5");
        assertThat(Report.number(-3.14159)).isEqualTo("-3.14");
        assertThat(Report.number(Double.NaN)).isEqualTo("n/a");
        assertThat(Report.number(Double.POSITIVE_INFINITY)).isEqualTo("n/a");
    }

    @Test
    void aTargetIsMetOnlyWithinItsBound() {
        assertThat(Target.atLeast("r", 0.8, 0.8, "x", "why").met()).isTrue();
        assertThat(Target.atLeast("r", 0.8, 0.79, "x", "why").explanation()).isEqualTo("why");
        assertThat(Target.atMost("t", 15, 15, "s", "why").met()).isTrue();
        assertThat(Target.atMost("t", 15, 15.01, "s", "why").met()).isFalse();
        assertThat(Target.atMost("t", 15, Double.NaN, "s", "why").met()).isFalse();
        assertThat(Target.atLeast("r", 0.8, Double.NaN, "x", "why").met()).isFalse();
    }
}
