package dev.keiko.bench.fault;

import dev.keiko.bench.system.BenchSystem;
import java.util.ArrayList;
import java.util.List;

/** What a scenario injected and when, in seconds from its start, for the report's notes. Thread-safe. */
final class Injections {

    private final long startedNanos = System.nanoTime();
    private final List<String> lines = new ArrayList<>();

    /** Records {@code what} at the current time, and says it on the console. */
    synchronized void at(String what) {
        String line = String.format("t+%.1f s: %s", (System.nanoTime() - startedNanos) / 1e9, what);
        lines.add(line);
        BenchSystem.say(line);
    }

    double secondsSinceStart() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    /** One note: every injection in order. */
    synchronized String note() {
        return "Injected: " + (lines.isEmpty() ? "nothing" : String.join("; ", lines)) + ".";
    }
}
