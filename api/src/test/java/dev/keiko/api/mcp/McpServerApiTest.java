package dev.keiko.api.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.api.ConfiguredTestSupport;
import dev.keiko.api.auth.ProblemBody;
import dev.keiko.domain.user.Role;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

class McpServerApiTest extends ConfiguredTestSupport {

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
    void aServerCarriesItsToolAndRolePolicy() {
        String limited = name();
        post(Map.of("name", limited, "command", "node", "allowedTools", List.of("get-sum", "echo", "echo"),
                "allowedRoles", List.of("user", "operator")))
                .expectStatus().isCreated()
                .expectBody()
                .jsonPath("$.allowedTools").isEqualTo(List.of("echo", "get-sum"))
                .jsonPath("$.allowedRoles").isEqualTo(List.of("user", "operator"));
        get("/api/v1/mcp/servers/" + limited).expectStatus().isOk().expectBody()
                .jsonPath("$.allowedTools").isEqualTo(List.of("echo", "get-sum"))
                .jsonPath("$.allowedRoles").isEqualTo(List.of("user", "operator"));

        String closed = name();
        post(Map.of("name", closed, "command", "node", "allowedTools", List.of())).expectStatus().isCreated()
                .expectBody().jsonPath("$.allowedTools").isEmpty().jsonPath("$.allowedRoles").doesNotExist();
        String open = name();
        post(Map.of("name", open, "command", "node")).expectStatus().isCreated()
                .expectBody().jsonPath("$.allowedTools").doesNotExist().jsonPath("$.allowedRoles").doesNotExist();
    }

    @Test
    void malformedPoliciesAreRefusedAndStoreNothing() {
        String name = name();
        assertThat(ProblemBody.expect(post(Map.of("name", name, "command", "node",
                "allowedTools", List.of("echo", "rm -rf"))), 400).detail()).contains("'allowedTools'");
        assertThat(ProblemBody.expect(post(Map.of("name", name, "command", "node",
                "allowedTools", List.of("t".repeat(129)))), 400).detail()).contains("'allowedTools'");
        assertThat(ProblemBody.expect(post(Map.of("name", name, "command", "node",
                "allowedRoles", List.of("user", "root"))), 400).detail()).contains("'allowedRoles'");
        ProblemBody.expect(postJson("{\"name\": \"" + name + "\", \"command\": \"node\","
                + " \"allowedTools\": [null]}"), 400);
        ProblemBody.expect(get("/api/v1/mcp/servers/" + name), 404);
    }

    @Test
    void onlyAdminsDeleteWhatAnAdminRegistered() {
        String byAdmin = name();
        post(Map.of("name", byAdmin, "url", "http://127.0.0.1:9/mcp")).expectStatus().isCreated();
        String operator = "Bearer " + createUser(Role.OPERATOR).token();
        String byOperator = name();
        web.post().uri("/api/v1/mcp/servers").header(HttpHeaders.AUTHORIZATION, operator)
                .bodyValue(Map.of("name", byOperator, "url", "http://127.0.0.1:9/mcp")).exchange()
                .expectStatus().isCreated();
        String otherOperator = "Bearer " + createUser(Role.OPERATOR).token();

        assertThat(ProblemBody.expect(web.delete().uri("/api/v1/mcp/servers/{name}", byAdmin)
                .header(HttpHeaders.AUTHORIZATION, operator).exchange(), 403).detail()).contains("only admins");
        assertThat(ProblemBody.expect(web.put().uri("/api/v1/mcp/servers/{name}", byAdmin)
                .header(HttpHeaders.AUTHORIZATION, operator)
                .bodyValue(Map.of("name", byAdmin, "url", "http://127.0.0.1:10/mcp")).exchange(), 403).detail())
                .contains("only admins may replace");
        get("/api/v1/mcp/servers/" + byAdmin).expectStatus().isOk().expectBody()
                .jsonPath("$.url").isEqualTo("http://127.0.0.1:9/mcp");
        web.delete().uri("/api/v1/mcp/servers/{name}", byOperator).header(HttpHeaders.AUTHORIZATION, otherOperator)
                .exchange().expectStatus().isNoContent();
        web.delete().uri("/api/v1/mcp/servers/{name}", byAdmin).header(HttpHeaders.AUTHORIZATION, bearer())
                .exchange().expectStatus().isNoContent();
    }

    @Test
    void aServerIsReplacedWithANewDefinitionAndPolicy() {
        String operator = "Bearer " + createUser(Role.OPERATOR).token();
        String name = name();
        web.post().uri("/api/v1/mcp/servers").header(HttpHeaders.AUTHORIZATION, operator)
                .bodyValue(Map.of("name", name, "url", "http://127.0.0.1:9/mcp")).exchange()
                .expectStatus().isCreated();

        web.put().uri("/api/v1/mcp/servers/{name}", name).header(HttpHeaders.AUTHORIZATION, operator)
                .bodyValue(Map.of("name", name, "url", "http://127.0.0.1:10/mcp", "allowedTools", List.of("echo")))
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.url").isEqualTo("http://127.0.0.1:10/mcp")
                .jsonPath("$.allowedTools").isEqualTo(List.of("echo"));
        // Replaced by an admin, it is an admin's: the operator may no longer change it.
        web.put().uri("/api/v1/mcp/servers/{name}", name).header(HttpHeaders.AUTHORIZATION, bearer())
                .bodyValue(Map.of("name", name, "url", "http://127.0.0.1:11/mcp")).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.allowedTools").doesNotExist();
        ProblemBody.expect(web.delete().uri("/api/v1/mcp/servers/{name}", name)
                .header(HttpHeaders.AUTHORIZATION, operator).exchange(), 403);

        ProblemBody.expect(web.put().uri("/api/v1/mcp/servers/{name}", name).header(HttpHeaders.AUTHORIZATION, bearer())
                .bodyValue(Map.of("name", "other", "url", "http://127.0.0.1:9/mcp")).exchange(), 400);
        ProblemBody.expect(web.put().uri("/api/v1/mcp/servers/{name}", name).header(HttpHeaders.AUTHORIZATION, bearer())
                .bodyValue(Map.of("name", name, "url", "http://10.0.0.1/mcp")).exchange(), 422);
        ProblemBody.expect(web.put().uri("/api/v1/mcp/servers/none-such").header(HttpHeaders.AUTHORIZATION, bearer())
                .bodyValue(Map.of("name", "none-such", "url", "http://127.0.0.1:9/mcp")).exchange(), 404);
        ProblemBody.expect(web.put().uri("/api/v1/mcp/servers/configured").header(HttpHeaders.AUTHORIZATION, bearer())
                .bodyValue(Map.of("name", "configured", "command", "node")).exchange(), 409);
        get("/api/v1/mcp/servers/" + name).expectStatus().isOk().expectBody()
                .jsonPath("$.url").isEqualTo("http://127.0.0.1:11/mcp");
    }

    @Test
    void headersThatAddressMetadataServicesAreRefused() {
        for (String header : List.of("Metadata-Flavor", "metadata", "X-aws-ec2-metadata-token",
                "x-AWS-ec2-metadata-token-ttl-seconds", "X-Google-Metadata-Request")) {
            String name = name();
            assertThat(ProblemBody.expect(post(Map.of("name", name, "url", "http://127.0.0.1:9/mcp",
                    "headers", Map.of(header, "Google"))), 422).detail()).as(header).contains("metadata");
            ProblemBody.expect(get("/api/v1/mcp/servers/" + name), 404);
        }
    }

    @Test
    void headersTheHttpClientWouldRefuseAnswer400AndStoreNothing() {
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        for (String header : List.of("Host", "connection", "Content-Length", "Expect", "UPGRADE", "Bad Header",
                "X-Caf\u00e9", "X:Y", "X(1)")) {
            refused.put(header, "x");
        }
        refused.put("X-Split", "a\r\nInjected: yes");
        refused.put("X-Control", "a\u0000b");
        refused.forEach((header, value) -> {
            String name = name();
            ProblemBody problem = ProblemBody.expect(post(Map.of("name", name, "url", "http://127.0.0.1:9/mcp",
                    "headers", Map.of(header, value))), 400);
            assertThat(problem.detail()).as(header).contains("eader");
            ProblemBody.expect(get("/api/v1/mcp/servers/" + name), 404);
        });
        post(Map.of("name", name(), "url", "http://127.0.0.1:9/mcp", "headers", Map.of("X-Api-Key", "k")))
                .expectStatus().isCreated();
    }

    @Test
    void secretsInTheUrlAndArgumentsAreNotShown() {
        String http = name();
        String stdio = name();
        post(Map.of("name", http, "url", "http://alice:s3cret@127.0.0.1:9/mcp?api_key=abc123&mode=fast"))
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.url").isEqualTo("http://******@127.0.0.1:9/mcp?api_key=******&mode=******");
        post(Map.of("name", stdio, "command", "node", "args", List.of("server.js", "--api-key", "sk-123",
                "--token=abc", "--verbose", "--header", "Authorization: Bearer xyz", "https://u:p@example.com/x?k=v",
                "stdio"))).expectStatus().isCreated();

        String shown = get("/api/v1/mcp/servers").expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody();
        get("/api/v1/mcp/servers/" + stdio).expectStatus().isOk().expectBody()
                .jsonPath("$.args").isEqualTo(List.of("server.js", "--api-key", "******", "--token=******",
                        "--verbose", "--header", "Authorization: ******", "https://******@example.com/x?k=******",
                        "stdio"));
        assertThat(shown).contains(http).doesNotContain("s3cret").doesNotContain("abc123").doesNotContain("sk-123")
                .doesNotContain("xyz");
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
