package dev.keiko.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.domain.tracing.RedactingSpanExporter;
import dev.keiko.domain.tracing.SpanRedactionAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Without an OTLP endpoint configured, neither process exports spans or pushes metrics over OTLP: traces
 * stay in the process (here, in the tests' own span processor) and metrics are only scraped. The endpoint
 * property the README names is the one that turns the span exporter on.
 */
class OtlpExportTest {

    private static final String TRACING = "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.";

    @Test
    void withoutEndpointsNeitherProcessHasAnOtlpExporter() {
        ObservedSystem system = ObservedSystem.shared();
        for (ConfigurableApplicationContext context : List.of(system.api, system.worker)) {
            assertThat(context.getBeanProvider(SpanExporter.class).stream().map(OtlpExportTest::unwrapped))
                    .noneMatch(type -> type.getSimpleName().startsWith("Otlp"));
            assertThat(context.getBeansOfType(MeterRegistry.class).values().stream().map(Object::getClass))
                    .noneMatch(type -> type.getSimpleName().startsWith("Otlp"))
                    .anyMatch(type -> type.getSimpleName().equals("PrometheusMeterRegistry"));
            assertThat(context.getEnvironment().getProperty("management.tracing.sampling.probability"))
                    .isEqualTo("1.0");
        }
    }

    @Test
    void theEndpointPropertyTurnsTheSpanExporterOn() throws ClassNotFoundException {
        // Boot's starter brings these modules at run time only.
        ApplicationContextRunner tracing = new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(
                type("org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration"),
                type("org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration"),
                type(TRACING + "OpenTelemetryTracingAutoConfiguration"),
                type(TRACING + "otlp.OtlpTracingAutoConfiguration")));
        Class<?> exporter = type("io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter");

        tracing.run(context -> assertThat(context).doesNotHaveBean(exporter));
        tracing.withPropertyValues("management.opentelemetry.tracing.export.otlp.endpoint=http://127.0.0.1:4318/v1/traces")
                .run(context -> assertThat(context).hasSingleBean(exporter));
        // Keiko's processes wrap it, so that no span leaves with the text of a failure.
        tracing.withConfiguration(AutoConfigurations.of(SpanRedactionAutoConfiguration.class))
                .withPropertyValues("management.opentelemetry.tracing.export.otlp.endpoint=http://127.0.0.1:4318/v1/traces")
                .run(context -> assertThat(context.getBeanProvider(SpanExporter.class).stream().toList()).singleElement()
                        .isInstanceOf(RedactingSpanExporter.class)
                        .satisfies(wrapped -> assertThat(unwrapped(wrapped)).isEqualTo(exporter)));
    }

    /** The class of the exporter itself, inside Keiko's redacting wrapper. */
    private static Class<?> unwrapped(SpanExporter exporter) {
        return exporter instanceof RedactingSpanExporter redacting ? redacting.delegate().getClass() : exporter.getClass();
    }

    private static Class<?> type(String name) throws ClassNotFoundException {
        return Class.forName(name);
    }
}
