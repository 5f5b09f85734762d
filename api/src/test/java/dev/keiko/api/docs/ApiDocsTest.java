package dev.keiko.api.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.api.ApiTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/** The OpenAPI description is public and declares the bearer scheme and the problem+json answers. */
class ApiDocsTest extends ApiTestSupport {

    @Test
    void theOpenApiDescriptionListsTheTaskEndpointsWithTheBearerSchemeAndProblemAnswers() {
        JsonNode docs = web.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(JsonNode.class).returnResult().getResponseBody();

        assertThat(docs.path("paths").propertyNames())
                .contains("/api/v1/tasks", "/api/v1/tasks/{id}", "/api/v1/tasks/{id}/cancel", "/api/v1/auth/token");
        JsonNode bearer = docs.path("components").path("securitySchemes").path(ApiDocumentation.BEARER);
        assertThat(bearer.path("type").asString()).isEqualTo("http");
        assertThat(bearer.path("scheme").asString()).isEqualTo("bearer");
        assertThat(docs.path("security").path(0).has(ApiDocumentation.BEARER)).isTrue();

        JsonNode submit = docs.path("paths").path("/api/v1/tasks").path("post");
        assertThat(submit.path("responses").path("400").path("content").has(ApiDocumentation.PROBLEM_JSON)).isTrue();
        assertThat(submit.path("responses").path("401").path("content").has(ApiDocumentation.PROBLEM_JSON)).isTrue();
        JsonNode read = docs.path("paths").path("/api/v1/tasks/{id}").path("get");
        assertThat(read.path("responses").path("404").path("content").has(ApiDocumentation.PROBLEM_JSON)).isTrue();
        JsonNode token = docs.path("paths").path("/api/v1/auth/token").path("post");
        assertThat(token.path("security").isArray() && token.path("security").isEmpty())
                .as("the token endpoint needs no token").isTrue();
    }

    @Test
    void swaggerUiIsServedWithoutAToken() {
        web.get().uri("/swagger-ui.html").exchange().expectStatus().is3xxRedirection();
        web.get().uri("/webjars/swagger-ui/index.html").exchange().expectStatus().isOk();
    }

    @Test
    void theDescriptionIsReadOnlyAndTheFirewallStillRefusesTraversal() {
        web.post().uri("/v3/api-docs").exchange().expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        web.get().uri("/v3/api-docs/..%2F..%2Fapi/v1/tasks").exchange().expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }
}
