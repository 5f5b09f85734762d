package dev.keiko.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.keiko.domain.user.Role;
import dev.keiko.launcher.DevSystem.TestUser;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The MCP trust boundary end to end, with the dev launcher's policy for {@code everything}. */
class McpTrustBoundaryFlowTest {

    static DevSystem system;
    static WebTestClient web;

    @BeforeAll
    static void start() {
        system = DevSystem.shared();
        web = system.web;
    }

    @Test
    void aUserCannotReadTheWorkersEnvironmentThroughEverything() {
        TestUser user = system.user(Role.USER);

        web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, user.bearer())
                .bodyValue(Map.of("type", "tool", "parameters", Map.of("server", "everything", "tool", "get-env")))
                .exchange().expectStatus().isEqualTo(422)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail)
                        .contains("'get-env'").contains("not allowed").contains("echo"));
        web.get().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, user.bearer())
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.items").isEmpty();
    }

    @Test
    void operatorsSeeEveryToolMarkedWithWhetherTasksMayCallIt() {
        List<?> tools = web.get().uri("/api/v1/mcp/servers/everything/tools")
                .header(HttpHeaders.AUTHORIZATION, system.user(Role.OPERATOR).bearer())
                .exchange().expectStatus().isOk()
                .expectBody(List.class).returnResult().getResponseBody();

        Map<Object, Object> allowed = new java.util.HashMap<>();
        tools.forEach(tool -> allowed.put(((Map<?, ?>) tool).get("name"), ((Map<?, ?>) tool).get("allowed")));
        assertThat(allowed).containsEntry("echo", true).containsEntry("get-sum", true)
                .containsEntry("trigger-long-running-operation", true)
                .containsEntry("get-env", false).containsEntry("gzip-file-as-resource", false);
        assertThat(allowed.entrySet()).filteredOn(entry -> Boolean.TRUE.equals(entry.getValue()))
                .extracting(Map.Entry::getKey).containsExactlyInAnyOrderElementsOf(DevMcpServers.EVERYTHING_TOOLS);
    }

    @Test
    void listingToolsOfARemoteThatIsNoMcpServerDoesNotRepeatItsAnswer() throws Exception {
        HttpServer console = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        console.createContext("/", exchange -> {
            byte[] body = "ACME router admin console, firmware 4.2".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(500, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        console.start();
        try {
            String name = "console-" + UUID.randomUUID().toString().substring(0, 8);
            TestUser operator = system.user(Role.OPERATOR);
            web.post().uri("/api/v1/mcp/servers").header(HttpHeaders.AUTHORIZATION, operator.bearer())
                    .bodyValue(Map.of("name", name, "transport", "streamable-http",
                            "url", "http://127.0.0.1:" + console.getAddress().getPort() + "/mcp"))
                    .exchange().expectStatus().isCreated();

            web.get().uri("/api/v1/mcp/servers/{name}/tools", name)
                    .header(HttpHeaders.AUTHORIZATION, operator.bearer())
                    .exchange().expectStatus().isEqualTo(502)
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.detail").isEqualTo("Could not list the tools of '" + name
                            + "': the server is unreachable or misbehaving");
        } finally {
            console.stop(0);
        }
    }
}
