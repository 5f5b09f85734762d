package dev.keiko.api.observability;

import io.micrometer.observation.ObservationPredicate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

/**
 * Leaves Prometheus scrapes and health probes out of traces (and out of {@code http.server.requests}): at
 * Keiko's sampling of every request they would be most of them.
 */
@Configuration(proxyBeanMethods = false)
class ActuatorObservations {

    @Bean
    ObservationPredicate noActuatorObservations() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext request
                && request.getCarrier().getPath().value().startsWith("/actuator"));
    }
}
