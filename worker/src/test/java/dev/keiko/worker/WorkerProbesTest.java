package dev.keiko.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.embedded.EmbeddedServices;
import dev.keiko.embedded.KeptAliveConnection;
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

    @Test
    void everyProbeOnAKeptAliveConnectionIsAnswered() throws Exception {
        // Readiness is answered after its checks, off the event loop; liveness at once, on it.
        String readinessThenLiveness = "GET /actuator/health/readiness HTTP/1.1\r\nHost: localhost\r\n\r\n"
                + "GET /actuator/health/liveness HTTP/1.1\r\nHost: localhost\r\n\r\n";
        try (ConfigurableApplicationContext worker = start(EmbeddedServices.shared().temporal().target());
                KeptAliveConnection connection = KeptAliveConnection.open(port(worker), Duration.ofSeconds(10))) {
            List<String> statusLines = new ArrayList<>();
            for (int round = 0; round < 200 && !statusLines.contains("no answer"); round++) {
                connection.send(readinessThenLiveness);
                statusLines.add(connection.readStatusLine());
                statusLines.add(connection.readStatusLine());
            }

            assertThat(statusLines).hasSize(400).containsOnly("HTTP/1.1 200 OK");
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
                .baseUrl("http://127.0.0.1:" + port(worker))
                // Past the health check's own 2 s deadline, on a machine busy with other tests.
                .responseTimeout(Duration.ofSeconds(20)).build();
    }

    private static int port(ConfigurableApplicationContext worker) {
        return Integer.parseInt(worker.getEnvironment().getProperty("local.server.port"));
    }
}
