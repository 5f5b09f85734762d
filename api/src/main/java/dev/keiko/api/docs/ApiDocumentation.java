package dev.keiko.api.docs;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description at {@code /v3/api-docs} (Swagger UI at {@code /swagger-ui.html}), generated from
 * the controllers: every operation but the token endpoint needs the bearer token, and every operation
 * declares the RFC 9457 {@code application/problem+json} answers it can give.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

    static final String BEARER = "bearer";
    static final String PROBLEM_JSON = "application/problem+json";
    private static final String PROBLEM_SCHEMA = "ProblemDetail";
    private static final String TOKEN_PATH = "/api/v1/auth/token";

    /** Answers every operation can give; the token endpoint's own are listed apart. */
    private static final Map<String, String> EVERY_OPERATION = Map.of(
            "400", "The request is malformed or invalid",
            "401", "No valid access token",
            "403", "The caller's role does not allow this",
            "413", "The request body is too large",
            "429", "Too many requests");
    private static final Map<String, String> TOKEN_ENDPOINT = Map.of(
            "400", "The request is malformed or invalid",
            "401", "Wrong username or password, or the user is inactive",
            "429", "Too many failed logins; see Retry-After",
            "503", "Too many password checks waiting; see Retry-After");

    @Bean
    OpenAPI keikoOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Keiko API").version("v1")
                        .description("Submit, follow and cancel AI-agent tasks that run as Temporal workflows."))
                .components(new Components()
                        .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                .scheme("bearer").bearerFormat("JWT")
                                .description("An access token from POST " + TOKEN_PATH))
                        .addSchemas(PROBLEM_SCHEMA, problemSchema()))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }

    @Bean
    OpenApiCustomizer problemResponses() {
        return openApi -> openApi.getPaths().forEach((path, item) -> item.readOperations().forEach(operation -> {
            boolean tokenEndpoint = path.equals(TOKEN_PATH);
            if (tokenEndpoint) {
                operation.setSecurity(List.of());
            }
            declare(operation, tokenEndpoint ? TOKEN_ENDPOINT : EVERY_OPERATION);
            if (path.contains("{")) {
                declare(operation, Map.of("404", "No such resource, or not one the caller may see"));
            }
        }));
    }

    private static void declare(Operation operation, Map<String, String> answers) {
        answers.forEach((status, description) -> {
            if (operation.getResponses().get(status) == null) {
                operation.getResponses().addApiResponse(status, new ApiResponse().description(description)
                        .content(new Content().addMediaType(PROBLEM_JSON,
                                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM_SCHEMA)))));
            }
        });
    }

    private static Schema<?> problemSchema() {
        return new ObjectSchema().description("RFC 9457 problem details")
                .addProperty("type", new StringSchema().format("uri"))
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema())
                .addProperty("instance", new StringSchema().format("uri"));
    }
}
