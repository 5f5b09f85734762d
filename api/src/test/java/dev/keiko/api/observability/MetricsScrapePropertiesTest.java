package dev.keiko.api.observability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** A scrape token is optional; a set one must be long enough and fit in a bearer header, or the API does not start. */
class MetricsScrapePropertiesTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(PropertiesOnly.class);

    @Test
    void aShortTokenOrOneABearerHeaderCannotCarryStopsTheStart() {
        for (String token : new String[] {"s".repeat(31), "s".repeat(32) + " x", "s".repeat(32) + ",", "é".repeat(40)}) {
            context.withPropertyValues("keiko.api.metrics-token=" + token).run(started ->
                    assertThat(started).getFailure().rootCause().hasMessageContaining("metricsToken"));
        }
    }

    @Test
    void noTokenAnEmptyOneOrALongOneStarts() {
        context.run(started -> assertThat(started.getBean(MetricsScrapeProperties.class).metricsToken()).isNull());
        // As compose passes an unset KEIKO_API_METRICS_TOKEN.
        context.withPropertyValues("keiko.api.metrics-token=").run(started ->
                assertThat(started.getBean(MetricsScrapeProperties.class).metricsToken()).isNull());
        context.withPropertyValues("keiko.api.metrics-token=" + "0123456789abcdef".repeat(4)).run(started ->
                assertThat(started).hasNotFailed());
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(MetricsScrapeProperties.class)
    static class PropertiesOnly {
    }
}
