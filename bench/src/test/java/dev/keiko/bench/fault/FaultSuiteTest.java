package dev.keiko.bench.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.bench.report.Machine;
import dev.keiko.bench.report.Report;
import dev.keiko.bench.report.ScenarioResult;
import dev.keiko.bench.report.Target;
import dev.keiko.bench.scenario.ScenarioOptions;
import dev.keiko.bench.system.BenchOptions;
import dev.keiko.bench.system.BenchSystem;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The fault suite's short version, for CI: each scenario with small counts ({@code quick=true}), one after another on
 * the fault tests' shared system (PostgreSQL, Temporal's test server, the API, workers from their jars, the fakes),
 * which each leaves as it found it but for its workers, kept for the next. Writes {@code bench/target/report/faults-short.md}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultSuiteTest {

    private static final Report.Kind REPORT = new Report.Kind("Keiko fault injection, short version", "faults-short");
    private static final List<ScenarioResult> RESULTS = new ArrayList<>();
    private static BenchSystem system;

    @BeforeAll
    static void start() {
        ScenarioOptions.parse(new String[] {"quick=true"});
        system = SharedBenchSystem.get();
    }

    @AfterAll
    static void writeReport() {
        BenchOptions options = BenchOptions.defaults();
        Report.write(options.repoRoot().resolve("bench/target/report"), REPORT, Machine.describe(options.repoRoot()),
                RESULTS, "./mvnw -B verify (FaultSuiteTest, quick=true)");
    }

    @Test
    @Order(1)
    void workersKilledUnderLoadLoseNoTask() {
        WorkerKilledScenario scenario = new WorkerKilledScenario();
        ScenarioResult result = record(scenario.run(system));
        FaultCounts counts = scenario.counts();
        assertThat(counts.holds()).as(describe(result)).isTrue();
        assertThat(counts.submitted()).as(describe(result)).isEqualTo(50);
        assertThat(figure(result, "workers killed")).as(describe(result)).isEqualTo(1);
        assertThat(figure(result, "connections to the tool the killed workers held")).as(describe(result))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    @Order(2)
    void toolServerKilledAndRestartedLosesNoTask() {
        ToolServerRestartScenario scenario = new ToolServerRestartScenario();
        ScenarioResult result = record(scenario.run(system));
        FaultCounts counts = scenario.counts();
        assertThat(counts.holds()).as(describe(result)).isTrue();
        assertThat(counts.submitted()).as(describe(result)).isEqualTo(20);
        assertThat(figure(result, "calls in flight at the kill")).as(describe(result)).isGreaterThanOrEqualTo(10);
        assertThat(figure(result, "tasks whose call started more than once")).as(describe(result))
                .isGreaterThanOrEqualTo(10);
    }

    @Test
    @Order(3)
    void apiKilledBeforeStartingWorkflowsRunsEachTaskOnce() {
        ApiKilledBeforeStartScenario scenario = new ApiKilledBeforeStartScenario();
        ScenarioResult result = record(scenario.run(system));
        FaultCounts counts = scenario.counts();
        assertThat(counts.holds()).as(describe(result)).isTrue();
        assertThat(counts.submitted()).as(describe(result)).isEqualTo(10);
        assertThat(figure(result, "rows pending at the kill")).as(describe(result)).isEqualTo(10);
        assertThat(figure(result, "tool calls")).as(describe(result)).isEqualTo(10);
        assertThat(result.targets()).as(describe(result)).allMatch(Target::met);
    }

    @Test
    @Order(4)
    void concurrentSubmissionsWithOneKeyMakeOneTask() {
        SharedIdempotencyKeyScenario scenario = new SharedIdempotencyKeyScenario();
        ScenarioResult result = record(scenario.run(system));
        FaultCounts counts = scenario.counts();
        assertThat(counts.holds()).as(describe(result)).isTrue();
        assertThat(figure(result, "answers 202")).as(describe(result)).isEqualTo(100);
        assertThat(figure(result, "task rows")).as(describe(result)).isEqualTo(2);
        assertThat(figure(result, "tool calls")).as(describe(result)).isEqualTo(2);
        assertThat(result.targets()).as(describe(result)).allMatch(Target::met);
    }

    private static ScenarioResult record(ScenarioResult result) {
        RESULTS.add(result);
        return result;
    }

    private static double figure(ScenarioResult result, String name) {
        return result.figures().stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("No figure " + name + " in " + describe(result))).value();
    }

    private static String describe(ScenarioResult result) {
        return result.name() + ": " + result.figures() + " " + result.targets() + " " + result.notes();
    }
}
