package dev.keiko.bench.fault;

import dev.keiko.bench.system.Api;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What the API answered, counted at the client by endpoint and by whether the database was down at the time: 2xx,
 * 503 (and among those, 503s that were not problem+json), other 5xx, other statuses, and no answer at all.
 */
final class ApiAnswers {

    static final String OK = "2xx";
    static final String UNAVAILABLE = "503";
    static final String UNAVAILABLE_NOT_PROBLEM = "503 not problem+json";
    static final String OTHER_5XX = "other 5xx";
    static final String OTHER = "other";
    static final String NO_ANSWER = "no answer";

    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Map<String, String> examples = new ConcurrentHashMap<>();

    /** Sends {@code request}, counts its answer under {@code endpoint}, and returns it (null when none came). */
    Api.Response count(String endpoint, boolean databaseDown, Supplier<Api.Response> request) {
        String phase = databaseDown ? "down" : "up";
        Api.Response response;
        try {
            response = request.get();
        } catch (UncheckedIOException e) {
            add(endpoint, phase, NO_ANSWER, e.getMessage());
            return null;
        }
        int status = response.status();
        String kind = status >= 200 && status < 300 ? OK : status == 503 ? UNAVAILABLE : status >= 500 ? OTHER_5XX
                : OTHER;
        add(endpoint, phase, kind, status + " " + response.body());
        if (status == 503 && !response.body().contains("\"status\":503")) {
            add(endpoint, phase, UNAVAILABLE_NOT_PROBLEM, response.body());
        }
        return response;
    }

    private void add(String endpoint, String phase, String kind, String example) {
        String key = endpoint + " | database " + phase + " | " + kind;
        counts.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
        examples.putIfAbsent(key, example == null ? "" : example.length() > 300 ? example.substring(0, 300) : example);
    }

    /** How many answers of {@code kind} came on any endpoint ({@code databaseDown} null: whenever). */
    long total(String kind, Boolean databaseDown) {
        return counts.entrySet().stream().filter(e -> e.getKey().endsWith("| " + kind))
                .filter(e -> databaseDown == null
                        || e.getKey().contains(databaseDown ? "database down" : "database up"))
                .mapToLong(e -> e.getValue().get()).sum();
    }

    long of(String endpoint, boolean databaseDown, String kind) {
        AtomicLong count = counts.get(endpoint + " | database " + (databaseDown ? "down" : "up") + " | " + kind);
        return count == null ? 0 : count.get();
    }

    /** Every count, by its key, in order. */
    Map<String, Long> all() {
        Map<String, Long> all = new TreeMap<>();
        counts.forEach((key, count) -> all.put(key, count.get()));
        return all;
    }

    /** The first answer seen of each key. */
    Map<String, String> examples() {
        return new TreeMap<>(examples);
    }
}
