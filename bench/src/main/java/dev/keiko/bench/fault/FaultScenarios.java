package dev.keiko.bench.fault;

import dev.keiko.bench.report.Report;
import dev.keiko.bench.scenario.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The fault-injection suite: {@code -Dbench=faults} runs every scenario here in this order, {@code -Dbench=faults:a,b}
 * only those named. A new scenario is one more line in {@link #ALL}.
 */
public final class FaultScenarios {

    public static final Report.Kind REPORT = new Report.Kind("Keiko fault injection", "faults");

    private static final List<Supplier<Scenario>> ALL = List.of(
            WorkerKilledScenario::new,
            ToolServerRestartScenario::new,
            ApiKilledBeforeStartScenario::new,
            SharedIdempotencyKeyScenario::new,
            ModelFaultsScenario::new,
            DatabaseOutageScenario::new);

    private static final String PREFIX = "faults";

    private FaultScenarios() {
    }

    /** Whether {@code selection} ({@code -Dbench=}) names the fault suite: {@code faults} or {@code faults:...}. */
    public static boolean isSelection(String selection) {
        return selection != null && (selection.trim().equals(PREFIX) || selection.trim().startsWith(PREFIX + ":"));
    }

    /** The scenarios {@code faults} or {@code faults:name,name} selects, in the order of {@link #ALL}. */
    public static List<Scenario> select(String selection) {
        List<Scenario> all = ALL.stream().map(Supplier::get).toList();
        String trimmed = selection.trim();
        if (trimmed.equals(PREFIX)) {
            return all;
        }
        List<String> names = List.of(trimmed.substring(PREFIX.length() + 1).split(",")).stream().map(String::trim)
                .toList();
        List<Scenario> chosen = new ArrayList<>();
        for (String name : names) {
            chosen.add(all.stream().filter(s -> s.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("No fault scenario " + name + "; there are "
                            + names())));
        }
        return chosen;
    }

    public static List<String> names() {
        return ALL.stream().map(s -> s.get().name()).toList();
    }
}
