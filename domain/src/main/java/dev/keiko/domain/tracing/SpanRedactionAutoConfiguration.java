package dev.keiko.domain.tracing;

import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Wraps every {@link SpanExporter} bean of a Keiko process (the OTLP exporter Spring Boot makes once an
 * endpoint is set, and any other) in a {@link RedactingSpanExporter}, so that no exported span carries the
 * text of a failure: Temporal's tracing interceptors log an activity's or workflow's exception, message and
 * stack trace included, on its {@code RunActivity}/{@code RunWorkflow} span.
 */
@AutoConfiguration
@ConditionalOnClass(SpanExporter.class)
public class SpanRedactionAutoConfiguration {

    @Bean
    static BeanPostProcessor spanExporterRedaction() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof SpanExporter exporter && !(bean instanceof RedactingSpanExporter)
                        ? new RedactingSpanExporter(exporter) : bean;
            }
        };
    }
}
