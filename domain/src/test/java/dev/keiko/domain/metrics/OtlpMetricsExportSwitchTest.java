package dev.keiko.domain.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** Metrics go out over OTLP only once a URL is set, and an explicit setting still wins. */
class OtlpMetricsExportSwitchTest {

    @Test
    void withoutAUrlTheDefaultsKeepTheExportOff() {
        StandardEnvironment environment = environment(Map.of());

        new OtlpMetricsExportSwitch().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty(OtlpMetricsExportSwitch.ENABLED, Boolean.class)).isFalse();
    }

    @Test
    void aUrlTurnsTheExportOn() {
        StandardEnvironment environment = environment(Map.of(OtlpMetricsExportSwitch.URL, "http://lgtm:4318/v1/metrics"));

        new OtlpMetricsExportSwitch().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty(OtlpMetricsExportSwitch.ENABLED, Boolean.class)).isTrue();
    }

    @Test
    void anExplicitSettingWinsOverTheUrl() {
        StandardEnvironment environment = environment(Map.of(OtlpMetricsExportSwitch.URL, "http://lgtm:4318/v1/metrics",
                OtlpMetricsExportSwitch.ENABLED, "false"));

        new OtlpMetricsExportSwitch().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty(OtlpMetricsExportSwitch.ENABLED, Boolean.class)).isFalse();
    }

    /** Keiko's defaults (export off) as a configuration file gives them, under {@code commandLine}. */
    private static StandardEnvironment environment(Map<String, Object> commandLine) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("commandLine", commandLine));
        environment.getPropertySources().addLast(new MapPropertySource("keiko-defaults.yml",
                Map.of(OtlpMetricsExportSwitch.ENABLED, "false")));
        return environment;
    }
}
