package dev.keiko.bench.scenario;

import dev.keiko.bench.report.ScenarioResult;
import dev.keiko.bench.system.BenchOptions;
import dev.keiko.bench.system.BenchSystem;

/** One benchmark, selected by its {@link #name()} with {@code -Dbench=}. */
public interface Scenario {

    String name();

    /** One sentence for the report: what it measures and how. */
    String measures();

    /** Runs on a started system (without workers: the scenario starts those it needs). */
    ScenarioResult run(BenchSystem system);

    /** Runs on a system of its own, started for it and stopped after it; a scenario may start more or less. */
    default ScenarioResult runAlone(BenchOptions options) {
        try (BenchSystem system = BenchSystem.start(options)) {
            return run(system);
        }
    }
}
