package dev.keiko.domain.tracing;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;

/** Hands {@code delegate} each span as {@link RedactedSpanData}: without the text of its failures. */
public final class RedactingSpanExporter implements SpanExporter {

    private final SpanExporter delegate;

    public RedactingSpanExporter(SpanExporter delegate) {
        this.delegate = delegate;
    }

    /** The exporter that gets the redacted spans. */
    public SpanExporter delegate() {
        return delegate;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        return delegate.export(spans.stream().map(RedactedSpanData::of).toList());
    }

    @Override
    public CompletableResultCode flush() {
        return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
        return delegate.shutdown();
    }

    @Override
    public String toString() {
        return "RedactingSpanExporter{" + delegate + "}";
    }
}
