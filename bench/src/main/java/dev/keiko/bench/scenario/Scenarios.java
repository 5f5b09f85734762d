package dev.keiko.bench.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Every scenario, in the order {@code -Dbench=all} runs them. */
public final class Scenarios {

    private static final Map<String, Supplier<Scenario>> ALL = new LinkedHashMap<>();
    /** Selected only by name, never by {@code all}. */
    private static final Map<String, Supplier<Scenario>> HIDDEN = new LinkedHashMap<>();

    static {
        ALL.put("submission", SubmissionScenario::new);
        ALL.put("throughput", ThroughputScenario::new);
        ALL.put("startup", StartupScenario::new);
        ALL.put("overhead", OverheadScenario::new);
        ALL.put("cancel", CancelScenario::new);
        ALL.put("capacity", CapacityScenario::new);
        ALL.put("long-agent", LongAgentScenario::new);
        HIDDEN.put("smoke", SmokeScenario::new);
    }

    private Scenarios() {
    }

    /** The scenarios {@code selection} names ("all", or names separated by commas), in their order. */
    public static List<Scenario> select(String selection) {
        List<Scenario> chosen = new ArrayList<>();
        if (selection == null || selection.isBlank() || selection.trim().equals("all")) {
            ALL.values().forEach(s -> chosen.add(s.get()));
            return chosen;
        }
        for (String name : selection.split(",")) {
            Supplier<Scenario> scenario = ALL.getOrDefault(name.trim(), HIDDEN.get(name.trim()));
            if (scenario == null) {
                throw new IllegalArgumentException("No scenario " + name.trim() + "; there are " + ALL.keySet() + " and "
                        + HIDDEN.keySet());
            }
            chosen.add(scenario.get());
        }
        return chosen;
    }

    public static List<String> names() {
        return List.copyOf(ALL.keySet());
    }
}
