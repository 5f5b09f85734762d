package dev.keiko.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Without an OTLP endpoint configured, neither process exports spans or pushes metrics over OTLP: traces
 * stay in the process (here, in the tests' own span processor) and metrics are only scraped.
 */
class OtlpExportTest {

    @Test
    void withoutEndpointsNeitherProcessHasAnOtlpExporter() {
        ObservedSystem system = ObservedSystem.shared();
        for (ConfigurableApplicationContext context : List.of(system.api, system.worker)) {
            assertThat(context.getBeanProvider(SpanExporter.class).stream().map(Object::getClass))
                    .noneMatch(type -> type.getSimpleName().startsWith("Otlp"));
            assertThat(context.getBeansOfType(MeterRegistry.class).values().stream().map(Object::getClass))
                    .noneMatch(type -> type.getSimpleName().startsWith("Otlp"))
                    .anyMatch(type -> type.getSimpleName().equals("PrometheusMeterRegistry"));
            assertThat(context.getEnvironment().getProperty("management.tracing.sampling.probability"))
                    .isEqualTo("1.0");
        }
    }
}
