package dev.keiko.domain.health;

import io.temporal.serviceclient.WorkflowServiceStubs;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;

/**
 * Adds {@code temporal} to the health of every Keiko process that talks to Temporal (the API and the
 * worker; both list it in their readiness group), once the Temporal starter has made its service stubs.
 */
@AutoConfiguration(afterName = "io.temporal.spring.boot.autoconfigure.ServiceStubsAutoConfiguration")
@ConditionalOnBean(WorkflowServiceStubs.class)
public class TemporalHealthAutoConfiguration {

    @Bean
    TemporalHealthIndicator temporalHealthIndicator(WorkflowServiceStubs stubs) {
        return new TemporalHealthIndicator(stubs);
    }
}
