package dev.keiko.api.health;

import dev.keiko.api.ApiApplication;
import dev.keiko.api.ApiTestSupport;
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

/** The API's probes, public like the rest of its health: ready only while Temporal and PostgreSQL answer. */
class ApiProbesTest extends ApiTestSupport {

    @Test
    void theApiIsAliveAndReadyWithoutAToken() {
        web.get().uri("/actuator/health/liveness").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP");
        web.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP");
    }

    @Test
    void anApiWhoseTemporalStopsAnsweringStaysAliveButIsNotReady() {
        TcpProxy link = TcpProxy.to("127.0.0.1", EmbeddedServices.shared().temporal().port());
        Map<String, String> properties = new TreeMap<>(EmbeddedServices.shared().properties());
        properties.put("spring.temporal.connection.target", link.target());
        List<String> args = new ArrayList<>();
        properties.forEach((key, value) -> args.add("--" + key + "=" + value));
        // Closed while Temporal is cut off, the API's scheduler waits for a scheduled Temporal call that does not
        // return: the whole shutdown phase (30 s by default), which this test does not look at.
        args.addAll(List.of("--server.port=0", "--keiko.auth.jwt-secret=" + JWT_SECRET,
                "--management.endpoint.health.show-components=always",
                "--spring.lifecycle.timeout-per-shutdown-phase=2s"));
        try (link; ConfigurableApplicationContext api = ApiApplication.builder().run(args.toArray(String[]::new))) {
            WebTestClient client = WebTestClient.bindToServer()
                    .baseUrl("http://127.0.0.1:" + api.getEnvironment().getProperty("local.server.port"))
                // Past the health check's own 2 s deadline, on a machine busy with other tests.
                .responseTimeout(Duration.ofSeconds(20)).build();
            client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();

            link.cut();

            client.get().uri("/actuator/health/liveness").exchange()
                    .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP");
            client.get().uri("/actuator/health/readiness").exchange()
                    .expectStatus().isEqualTo(503).expectBody()
                    .jsonPath("$.status").isEqualTo("DOWN")
                    .jsonPath("$.components.temporal.status").isEqualTo("DOWN")
                    .jsonPath("$.components.r2dbc.status").isEqualTo("UP");
        }
    }
}
