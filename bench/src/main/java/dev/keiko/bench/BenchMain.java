package dev.keiko.bench;

import dev.keiko.bench.fault.FaultScenarios;
import dev.keiko.bench.report.Machine;
import dev.keiko.bench.report.Report;
import dev.keiko.bench.report.ScenarioResult;
import dev.keiko.bench.scenario.Scenario;
import dev.keiko.bench.scenario.ScenarioOptions;
import dev.keiko.bench.scenario.Scenarios;
import dev.keiko.bench.system.BenchOptions;
import dev.keiko.bench.system.BenchSystem;
import dev.keiko.bench.system.ProcessCpu;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the scenarios {@code -Dbench=} names ({@code all}, or names separated by commas), each on a system started for
 * it, and writes {@code bench/target/report/benchmarks.md} and {@code .json} after each one. {@code -Dbench=faults}
 * runs the fault scenarios instead ({@code faults:a,b} some of them) into {@code faults.md} and {@code .json}.
 * Arguments {@code key=value} set {@link ScenarioOptions}.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) {
        ScenarioOptions.parse(args);
        String selection = System.getProperty("bench", "all");
        boolean faults = FaultScenarios.isSelection(selection);
        List<Scenario> scenarios = faults ? FaultScenarios.select(selection) : Scenarios.select(selection);
        Report.Kind kind = faults ? FaultScenarios.REPORT : Report.BENCHMARKS;
        BenchOptions options = BenchOptions.defaults();
        Path reportDir = options.repoRoot().resolve("bench/target/report");
        Machine machine = Machine.describe(options.repoRoot());
        String command = Report.COMMAND.formatted(selection)
                + (ScenarioOptions.current().values().isEmpty() ? ""
                        : " (options " + ScenarioOptions.current().values() + ")");
        List<ScenarioResult> results = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            BenchSystem.say("scenario " + scenario.name() + ": " + scenario.measures());
            long started = System.nanoTime();
            String loadBefore = ProcessCpu.loadAverages();
            long machineBefore = ProcessCpu.machineBusyMillis();
            ScenarioResult result;
            try {
                result = scenario.runAlone(options);
            } catch (RuntimeException | Error e) {
                e.printStackTrace();
                result = ScenarioResult.failed(scenario.name(), scenario.measures(), List.of(), e);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            List<String> notes = new ArrayList<>(result.notes());
            notes.add(String.format("Machine during the scenario (%.0f s, everything included: the bench's processes,"
                    + " their start-up, and whatever else ran): CPU busy %.0f%% of %d cores; load averages (1, 5,"
                    + " 15 min) %s before, %s after.", seconds,
                    100.0 * (ProcessCpu.machineBusyMillis() - machineBefore) / 1000.0 / seconds
                            / Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().availableProcessors(), loadBefore, ProcessCpu.loadAverages()));
            result = new ScenarioResult(result.name(), result.measures(), result.figures(), result.targets(), notes);
            results.add(result);
            Report.write(reportDir, kind, machine, results, command);
            BenchSystem.say("scenario " + scenario.name() + " took " + (System.nanoTime() - started) / 1_000_000_000
                    + " s; report in " + reportDir.resolve(kind.markdown()));
        }
        boolean failed = results.stream().anyMatch(r -> r.notes().stream().anyMatch(n -> n.startsWith("FAILED")));
        System.exit(failed ? 1 : 0);
    }
}
