package dev.keiko.domain.tracing;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.List;
import java.util.Set;

/**
 * A finished span without the text of its failures: exception events keep {@code exception.type} but lose
 * {@code exception.message} and {@code exception.stacktrace}, the OpenTracing log fields Temporal's
 * interceptors add ({@code error.object}, {@code message}, {@code stack}) go from the span and its events, and
 * an error status loses its description (Micrometer sets it to the exception's message). Failure text may
 * quote tool arguments and outputs, which Keiko keeps encrypted in workflow history.
 */
final class RedactedSpanData extends DelegatingSpanData {

    static final Set<String> REMOVED_KEYS =
            Set.of("exception.message", "exception.stacktrace", "error.object", "message", "stack");

    private final Attributes attributes;
    private final List<EventData> events;
    private final StatusData status;

    private RedactedSpanData(SpanData span) {
        super(span);
        this.attributes = withoutText(span.getAttributes());
        this.events = span.getEvents().stream().map(RedactedSpanData::withoutText).toList();
        this.status = span.getStatus().getDescription().isEmpty() ? span.getStatus()
                : StatusData.create(span.getStatus().getStatusCode(), "");
    }

    static SpanData of(SpanData span) {
        return span instanceof RedactedSpanData ? span : new RedactedSpanData(span);
    }

    @Override
    public Attributes getAttributes() {
        return attributes;
    }

    @Override
    public List<EventData> getEvents() {
        return events;
    }

    @Override
    public StatusData getStatus() {
        return status;
    }

    private static EventData withoutText(EventData event) {
        // A plain event: an exception event would still hold the exception itself.
        return EventData.create(event.getEpochNanos(), event.getName(), withoutText(event.getAttributes()),
                event.getTotalAttributeCount());
    }

    private static Attributes withoutText(Attributes attributes) {
        if (attributes.asMap().keySet().stream().noneMatch(key -> REMOVED_KEYS.contains(key.getKey()))) {
            return attributes;
        }
        return attributes.toBuilder().removeIf(key -> REMOVED_KEYS.contains(key.getKey())).build();
    }
}
