package dev.keiko.worker;

import dev.keiko.embedded.EmbeddedServices;
import dev.keiko.embedded.TcpProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The worker's probes: alive as soon as it runs, ready only while Temporal and PostgreSQL answer. */
class WorkerProbesTest {

    @Test
    void aWorkerIsReadyWhenTemporalAndPostgresAnswer() {
        try (ConfigurableApplicationContext worker = start(EmbeddedServices.shared().temporal().target())) {
            WebTestClient actuator = actuator(worker);

            actuator.get().uri("/actuator/health/liveness").exchange()
                    .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP");
            actuator.get().uri("/actuator/health/readiness").exchange()
                    .expectStatus().isOk().expectBody()
                    .jsonPath("$.status").isEqualTo("UP")
                    .jsonPath("$.components.temporal.status").isEqualTo("UP")
                    .jsonPath("$.components.r2dbc.status").isEqualTo("UP");
        }
    }

    @Test
    void aWorkerStaysAliveButIsNotReadyOnceTemporalStopsAnswering() {
        try (TcpProxy link = TcpProxy.to("127.0.0.1", EmbeddedServices.shared().temporal().port());
                ConfigurableApplicationContext worker = start(link.target())) {
            WebTestClient actuator = actuator(worker);
            actuator.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();

            link.cut();

            actuator.get().uri("/actuator/health/liveness").exchange()
                    .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP");
            actuator.get().uri("/actuator/health/readiness").exchange()
                    .expectStatus().isEqualTo(503).expectBody()
                    .jsonPath("$.status").isEqualTo("DOWN")
                    .jsonPath("$.components.temporal.status").isEqualTo("DOWN")
                    .jsonPath("$.components.r2dbc.status").isEqualTo("UP");
        }
    }

    private static ConfigurableApplicationContext start(String temporalTarget) {
        Map<String, String> properties = new TreeMap<>(EmbeddedServices.shared().properties());
        properties.put("spring.temporal.connection.target", temporalTarget);
        List<String> args = new ArrayList<>();
        properties.forEach((key, value) -> args.add("--" + key + "=" + value));
        args.add("--server.port=0");
        args.add("--management.endpoint.health.show-components=always");
        return WorkerApplication.builder().run(args.toArray(String[]::new));
    }

    private static WebTestClient actuator(ConfigurableApplicationContext worker) {
        return WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + worker.getEnvironment().getProperty("local.server.port"))
                // Past the health check's own 2 s deadline, on a machine busy with other tests.
                .responseTimeout(Duration.ofSeconds(20)).build();
    }

}
