package dev.keiko.bench.fault;

import dev.keiko.bench.system.BenchOptions;
import dev.keiko.bench.system.BenchSystem;

/**
 * One whole system for the fault tests of a test run: starting one takes most of their time. Each test starts and
 * stops its own worker on it; the system closes when the JVM ends (BenchSystem's shutdown hook).
 */
final class SharedBenchSystem {

    private static BenchSystem system;

    private SharedBenchSystem() {
    }

    static synchronized BenchSystem get() {
        if (system == null) {
            // The API's own repair waits: api-killed-before-start shows another API's repair starting its tasks.
            system = BenchSystem.start(BenchOptions.defaults().withApiProperties(ApiKilledBeforeStartScenario.MAIN_API));
            BenchSystem.say("the fault tests share this system");
        }
        return system;
    }
}
