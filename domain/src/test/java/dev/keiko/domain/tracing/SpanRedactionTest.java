package dev.keiko.domain.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Spans leave a process without the text of their failures, the way Temporal's interceptors (through the
 * OpenTracing shim) and Micrometer record them, but with the failure's type; every exporter bean is wrapped.
 */
class SpanRedactionTest {

    private static final String SECRET = "tool said: api key sk-123 is wrong";

    @Test
    void anExportedSpanKeepsTheExceptionTypeButNotItsMessageStackOrLogFields() {
        InMemorySpanExporter exported = InMemorySpanExporter.create();
        try (SdkTracerProvider tracing = tracing(exported)) {
            Span span = tracing.get("test").spanBuilder("RunActivity:CallTool").startSpan();
            span.setAttribute("message", SECRET);
            span.setAttribute("failed", true);
            // What the OpenTracing shim makes of SpanFactory.logFail's fields.
            span.recordException(new IllegalStateException(SECRET), Attributes.of(
                    AttributeKey.stringKey("error.kind"), IllegalStateException.class.getName(),
                    AttributeKey.stringKey("message"), SECRET, AttributeKey.stringKey("stack"), SECRET,
                    AttributeKey.stringKey("error.object"), SECRET));
            span.addEvent("log", Attributes.of(AttributeKey.stringKey("message"), SECRET,
                    AttributeKey.stringKey("event"), "retry"));
            span.setStatus(StatusCode.ERROR, SECRET);
            span.end();
        }

        SpanData span = exported.getFinishedSpanItems().getFirst();
        assertThat(everyText(span)).doesNotContain("sk-123");
        assertThat(span.getAttributes().get(AttributeKey.booleanKey("failed"))).isTrue();
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        EventData exception = span.getEvents().getFirst();
        assertThat(exception.getName()).isEqualTo("exception");
        assertThat(exception.getAttributes().get(AttributeKey.stringKey("exception.type")))
                .isEqualTo(IllegalStateException.class.getName());
        assertThat(exception.getAttributes().get(AttributeKey.stringKey("error.kind")))
                .isEqualTo(IllegalStateException.class.getName());
        assertThat(exception.getAttributes().asMap().keySet()).map(AttributeKey::getKey)
                .doesNotContain("exception.message", "exception.stacktrace", "message", "stack", "error.object");
        assertThat(span.getEvents().get(1).getAttributes().get(AttributeKey.stringKey("event"))).isEqualTo("retry");
    }

    @Test
    void aSpanWithoutFailureTextIsExportedAsItWas() {
        InMemorySpanExporter exported = InMemorySpanExporter.create();
        try (SdkTracerProvider tracing = tracing(exported)) {
            tracing.get("test").spanBuilder("query").setAttribute("r2dbc.query[0]", "SELECT 1").startSpan().end();
        }

        SpanData span = exported.getFinishedSpanItems().getFirst();
        assertThat(span.getAttributes().get(AttributeKey.stringKey("r2dbc.query[0]"))).isEqualTo("SELECT 1");
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    }

    @Test
    void everySpanExporterBeanIsWrapped() throws IOException {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SpanRedactionAutoConfiguration.class))
                .withBean("exporter", SpanExporter.class, InMemorySpanExporter::create)
                .run(context -> assertThat(context.getBeansOfType(SpanExporter.class).values())
                        .singleElement().isInstanceOf(RedactingSpanExporter.class));
        List<String> imports = List.of(new String(SpanRedactionTest.class.getResourceAsStream(
                "/META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports").readAllBytes())
                .split("\\s+"));
        assertThat(imports).contains(SpanRedactionAutoConfiguration.class.getName());
    }

    /** Spans exported as they end; closing it leaves them in the exporter, which a shutdown would clear. */
    private static SdkTracerProvider tracing(InMemorySpanExporter exported) {
        SpanExporter keep = new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                return exported.export(spans);
            }

            @Override
            public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        };
        return SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(new RedactingSpanExporter(keep)))
                .build();
    }

    private static String everyText(SpanData span) {
        return Stream.concat(Stream.of(span.getAttributes()), span.getEvents().stream().map(EventData::getAttributes))
                .flatMap(attributes -> attributes.asMap().values().stream()).map(String::valueOf)
                .reduce(span.getStatus().getDescription(), String::concat);
    }
}
