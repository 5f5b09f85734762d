package dev.keiko.bench.scenario;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of the scenarios, {@code key=value} from the bench's arguments or {@code -Dbench.<key>=value}, e.g.
 * {@code submission.n=200}. {@code quick=true} divides every count by 10 (at least its minimum): for a look while
 * developing, never for figures.
 */
public final class ScenarioOptions {

    private static final ScenarioOptions CURRENT = new ScenarioOptions(new LinkedHashMap<>());

    private final Map<String, String> values;

    private ScenarioOptions(Map<String, String> values) {
        this.values = values;
    }

    public static ScenarioOptions current() {
        return CURRENT;
    }

    /** Reads {@code key=value} words (anything else is ignored) on top of {@code bench.*} system properties. */
    public static void parse(String[] args) {
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith("bench."))
                .forEach(name -> CURRENT.values.put(name.substring("bench.".length()), System.getProperty(name)));
        for (String arg : args) {
            for (String word : arg.trim().split("\\s+")) {
                int equals = word.indexOf('=');
                if (equals > 0) {
                    CURRENT.values.put(word.substring(0, equals), word.substring(equals + 1));
                }
            }
        }
    }

    public boolean quick() {
        return Boolean.parseBoolean(values.getOrDefault("quick", "false"));
    }

    /** A count: {@code key}'s value, or {@code standard} (divided by 10 when quick, but not below {@code minimum}). */
    public int count(String key, int standard, int minimum) {
        String value = values.get(key);
        if (value != null) {
            return Integer.parseInt(value);
        }
        return quick() ? Math.max(minimum, standard / 10) : standard;
    }

    public int integer(String key, int standard) {
        String value = values.get(key);
        return value == null ? standard : Integer.parseInt(value);
    }

    public String text(String key, String standard) {
        return values.getOrDefault(key, standard);
    }

    /** What was set, for the report. */
    public Map<String, String> values() {
        return Map.copyOf(values);
    }
}
