package dev.keiko.domain.metrics;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.util.StringUtils;

/**
 * Pushes metrics over OTLP only when {@code management.otlp.metrics.export.url} is set: Boot would push
 * to localhost:4318 otherwise, and log every failure. Keiko's defaults turn the export off; a URL turns it
 * on again, below the environment, system properties and command line, so that an explicit
 * {@code management.otlp.metrics.export.enabled} still decides.
 */
public class OtlpMetricsExportSwitch implements EnvironmentPostProcessor {

    static final String URL = "management.otlp.metrics.export.url";
    static final String ENABLED = "management.otlp.metrics.export.enabled";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (StringUtils.hasText(environment.getProperty(URL))) {
            MapPropertySource on = new MapPropertySource("keikoOtlpMetricsExport", Map.of(ENABLED, "true"));
            if (environment.getPropertySources().contains(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)) {
                environment.getPropertySources().addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        on);
            } else {
                environment.getPropertySources().addFirst(on);
            }
        }
    }
}
