package dev.keiko.bench.fault;

import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Tool calls as the tool fake counted them ({@code starts[]} and {@code ends[]} of its {@code /stats}), by label; the
 * counts of several snapshots add up (a restarted tool fake starts from nothing).
 */
final class ToolCalls {

    private final Map<String, Integer> starts = new HashMap<>();
    private final Map<String, Integer> ends = new HashMap<>();

    void add(JsonNode stats) {
        stats.path("starts").valueStream().forEach(s -> starts.merge(s.path("label").asString(""), 1, Integer::sum));
        stats.path("ends").valueStream().forEach(e -> ends.merge(e.path("label").asString("") + "/"
                + e.path("how").asString(""), 1, Integer::sum));
    }

    /** Calls started for {@code label}. */
    int starts(String label) {
        return starts.getOrDefault(label, 0);
    }

    /** Calls of labels starting with {@code prefix} beyond the first of each label. */
    long duplicated(String prefix) {
        return starts.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToLong(e -> Math.max(0, e.getValue() - 1)).sum();
    }

    /** Labels starting with {@code prefix} started more than once. */
    long labelsStartedTwice(String prefix) {
        return starts.entrySet().stream().filter(e -> e.getKey().startsWith(prefix) && e.getValue() > 1).count();
    }

    /** Labels starting with {@code prefix} whose calls ended {@code how} more than once. */
    long labelsEndedMoreThanOnce(String prefix, String how) {
        return ends.entrySet().stream().filter(e -> e.getKey().startsWith(prefix) && e.getKey().endsWith("/" + how)
                && e.getValue() > 1).count();
    }

    /** Calls of labels starting with {@code prefix} that ended {@code how} (completed, cancelled, abandoned). */
    long ended(String prefix, String how) {
        return ends.entrySet().stream().filter(e -> e.getKey().startsWith(prefix) && e.getKey().endsWith("/" + how))
                .mapToLong(Map.Entry::getValue).sum();
    }
}
