package dev.keiko.api.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.api.ApiTestSupport;
import dev.keiko.api.auth.ProblemBody;
import dev.keiko.domain.user.Role;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

@TestPropertySource(properties = {
    "keiko.mcp.servers.configured.command=node",
    "keiko.mcp.servers.configured.args[0]=server.js"
})
class McpServerApiTest extends ApiTestSupport {

    TestUser manager;

    @BeforeEach
    void manager() {
        manager = createUser(Role.ADMIN);
    }

    @Test
    void registersListsShowsAndDeletesAServer() {
        String name = name();
        post(Map.of("name", name, "transport", "stdio", "command", "node", "args", List.of("a.js", "stdio"),
                "env", Map.of("API_TOKEN", "secret-value")))
                .expectStatus().isCreated()
                .expectHeader().valueEquals(HttpHeaders.LOCATION, "/api/v1/mcp/servers/" + name)
                .expectBody()
                .jsonPath("$.transport").isEqualTo("stdio")
                .jsonPath("$.env.API_TOKEN").isEqualTo("******");

        get("/api/v1/mcp/servers/" + name).expectStatus().isOk()
                .expectBody().jsonPath("$.args[1]").isEqualTo("stdio")
                .jsonPath("$.source").isEqualTo("api");
        get("/api/v1/mcp/servers").expectStatus().isOk()
                .expectBody().jsonPath("$[?(@.name == '" + name + "')]").exists()
                .jsonPath("$[?(@.name == 'configured')].source").isEqualTo(List.of("config"));

        ProblemBody.expect(post(Map.of("name", name, "command", "other")), 409);
        web.delete().uri("/api/v1/mcp/servers/{name}", name).header(HttpHeaders.AUTHORIZATION, bearer())
                .exchange().expectStatus().isNoContent();
        ProblemBody.expect(get("/api/v1/mcp/servers/" + name), 404);
        ProblemBody.expect(web.delete().uri("/api/v1/mcp/servers/{name}", name)
                .header(HttpHeaders.AUTHORIZATION, bearer()).exchange(), 404);
    }

    @Test
    void anHttpServerWithoutTransportIsStoredForAutoDetection() {
        String name = name();
        post(Map.of("name", name, "url", "http://127.0.0.1:9/mcp", "headers", Map.of("Authorization", "Bearer x")))
                .expectStatus().isCreated()
                .expectBody()
                .jsonPath("$.transport").doesNotExist()
                .jsonPath("$.headers.Authorization").isEqualTo("******");
    }

    @Test
    void configuredServersCannotBeDeletedOrShadowed() {
        ProblemBody.expect(web.delete().uri("/api/v1/mcp/servers/configured")
                .header(HttpHeaders.AUTHORIZATION, bearer()).exchange(), 409);
        ProblemBody.expect(post(Map.of("name", "configured", "command", "node")), 409);
    }

    @Test
    void invalidDefinitionsAreRefused() {
        assertThat(ProblemBody.expect(post(Map.of("name", name(), "command", "node", "url", "http://x/")), 400)
                .detail()).contains("either 'command'");
        assertThat(ProblemBody.expect(post(Map.of("name", name())), 400).detail()).contains("either 'command'");
        assertThat(ProblemBody.expect(post(Map.of("name", name(), "transport", "carrier-pigeon", "command", "x")),
                400).detail()).contains("stdio, streamable-http or sse");
        assertThat(ProblemBody.expect(post(Map.of("name", name(), "transport", "sse", "command", "x")), 400)
                .detail()).contains("needs 'url'");
        assertThat(ProblemBody.expect(post(Map.of("name", name(), "url", "ftp://files/")), 400).detail())
                .contains("http or https");
        assertThat(ProblemBody.expect(post(Map.of("name", "Bad Name!", "command", "x")), 400).detail())
                .contains("'name'");
        assertThat(ProblemBody.expect(postJson("{\"name\": \"" + name() + "\", \"command\": \"node\","
                + " \"args\": [null]}"), 400).detail()).contains("'args'");
        assertThat(ProblemBody.expect(postJson("{\"name\": \"" + name() + "\", \"command\": \"node\","
                + " \"env\": {\"A\": null}}"), 400).detail()).contains("'env'");
    }

    @Test
    void onlyAdminsAndOperatorsManageServers() {
        for (Role role : List.of(Role.USER, Role.VIEWER)) {
            String token = createUser(role).token();
            ProblemBody.expect(web.get().uri("/api/v1/mcp/servers")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange(), 403);
            ProblemBody.expect(web.post().uri("/api/v1/mcp/servers")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                    .bodyValue(Map.of("name", name(), "command", "node")).exchange(), 403);
        }
        web.get().uri("/api/v1/mcp/servers").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin().token())
                .exchange().expectStatus().isOk();
    }

    @Test
    void operatorsRegisterHttpServersButNotCommands() {
        String token = "Bearer " + createUser(Role.OPERATOR).token();
        web.post().uri("/api/v1/mcp/servers").header(HttpHeaders.AUTHORIZATION, token)
                .bodyValue(Map.of("name", name(), "transport", "streamable-http", "url", "http://127.0.0.1:9/mcp"))
                .exchange().expectStatus().isCreated();
        assertThat(ProblemBody.expect(web.post().uri("/api/v1/mcp/servers").header(HttpHeaders.AUTHORIZATION, token)
                .bodyValue(Map.of("name", name(), "command", "sh", "args", List.of("-c", "env"))).exchange(), 403)
                .detail()).contains("Only admins");
    }

    @Test
    void unknownServersAnswer404() {
        ProblemBody.expect(get("/api/v1/mcp/servers/none-such"), 404);
        ProblemBody.expect(get("/api/v1/mcp/servers/none-such/tools"), 404);
    }

    private static String name() {
        return "s-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private String bearer() {
        return "Bearer " + manager.token();
    }

    private WebTestClient.ResponseSpec post(Map<String, Object> body) {
        return web.post().uri("/api/v1/mcp/servers").header(HttpHeaders.AUTHORIZATION, bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec postJson(String body) {
        return web.post().uri("/api/v1/mcp/servers").header(HttpHeaders.AUTHORIZATION, bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec get(String uri) {
        return web.get().uri(uri).header(HttpHeaders.AUTHORIZATION, bearer()).exchange();
    }
}
