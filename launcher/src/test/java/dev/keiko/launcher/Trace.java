package dev.keiko.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** The finished spans of one trace, with their parent links, as a test reads them. */
record Trace(List<SpanData> spans) {

    /**
     * The trace that started workflow {@code workflowId}, once its workflow has run and no span has been
     * added to it for half a second.
     */
    static Trace awaitEnded(String workflowId, InMemorySpanExporter exporter) {
        AtomicInteger seen = new AtomicInteger(-1);
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            String traceId = exporter.getFinishedSpanItems().stream()
                    .filter(span -> span.getName().startsWith("StartWorkflow:")
                            && workflowId.equals(attribute(span, "workflowId")))
                    .map(SpanData::getTraceId).findFirst().orElse(null);
            if (traceId == null) {
                return null;
            }
            List<SpanData> spans = exporter.getFinishedSpanItems().stream()
                    .filter(span -> span.getTraceId().equals(traceId)).toList();
            boolean ran = spans.stream().anyMatch(span -> span.getName().startsWith("RunWorkflow:"));
            return ran && seen.getAndSet(spans.size()) == spans.size() ? new Trace(spans) : null;
        }, trace -> trace != null);
    }

    static String attribute(SpanData span, String key) {
        return span.getAttributes().asMap().entrySet().stream()
                .filter(entry -> entry.getKey().getKey().equals(key))
                .map(entry -> String.valueOf(entry.getValue())).findFirst().orElse(null);
    }

    SpanData only(Predicate<SpanData> which) {
        List<SpanData> matching = spans.stream().filter(which).toList();
        assertThat(matching).as("one matching span in\n%s", this).hasSize(1);
        return matching.getFirst();
    }

    SpanData named(String name) {
        return only(span -> span.getName().equals(name));
    }

    List<SpanData> all(String name) {
        return spans.stream().filter(span -> span.getName().equals(name)).toList();
    }

    List<SpanData> childrenOf(SpanData parent) {
        return spans.stream().filter(span -> span.getParentSpanId().equals(parent.getSpanId())).toList();
    }

    SpanData parentOf(SpanData span) {
        return byId().get(span.getParentSpanId());
    }

    /** Whether {@code ancestor} is on {@code span}'s chain of parents. */
    boolean isBelow(SpanData span, SpanData ancestor) {
        Map<String, SpanData> byId = byId();
        for (SpanData parent = byId.get(span.getParentSpanId()); parent != null;
                parent = byId.get(parent.getParentSpanId())) {
            if (parent.getSpanId().equals(ancestor.getSpanId())) {
                return true;
            }
        }
        return false;
    }

    /** The statements of the database queries made under {@code ancestor}. */
    List<String> databaseQueriesBelow(SpanData ancestor) {
        return spans.stream().filter(span -> isBelow(span, ancestor))
                .flatMap(span -> span.getAttributes().asMap().entrySet().stream()
                        .filter(entry -> entry.getKey().getKey().startsWith("r2dbc.query"))
                        .map(entry -> String.valueOf(entry.getValue())))
                .toList();
    }

    private Map<String, SpanData> byId() {
        return spans.stream().collect(Collectors.toMap(SpanData::getSpanId, Function.identity()));
    }

    /** The spans as a tree: each with its parent's span id, in start order. */
    @Override
    public String toString() {
        return spans.stream().sorted(Comparator.comparingLong(SpanData::getStartEpochNanos))
                .map(span -> span.getSpanId() + " <- " + span.getParentSpanId() + "  " + span.getName() + "  "
                        + span.getAttributes().asMap().entrySet().stream()
                                .map(entry -> entry.getKey().getKey() + "=" + entry.getValue())
                                .collect(Collectors.joining(", ")))
                .collect(Collectors.joining("\n"));
    }
}
