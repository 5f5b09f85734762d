package dev.keiko.api.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.api.ConfiguredTestSupport;
import dev.keiko.api.auth.ProblemBody;
import dev.keiko.domain.user.Role;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The deployments a task may name come from configuration; a provider or deployment that is unknown answers
 * 422, one that is too long or has unsafe characters 400, and neither stores nor starts anything.
 */
class TaskModelNamesTest extends ConfiguredTestSupport {

    TestUser user;

    @BeforeEach
    void user() {
        user = createUser(Role.USER);
    }

    @Test
    void anUnknownDeploymentAnswers422ForEveryLlmTaskType() {
        for (Map<String, Object> task : List.of(
                completion(Map.of("prompt", "hi", "deployment", "gpt-5-turbo")),
                Map.<String, Object>of("type", "image", "parameters", Map.of("prompt", "a cat", "deployment",
                        "gpt-5-turbo")),
                Map.<String, Object>of("type", "agent", "parameters", Map.of("goal", "g", "deployment",
                        "gpt-5-turbo")))) {
            ProblemBody problem = ProblemBody.expect(post(task), 422);
            assertThat(problem.detail()).as("%s", task).contains("Unknown").contains("deployment 'gpt-5-turbo'")
                    .contains("keiko.llm.azure.");
        }
        assertThat(ProblemBody.expect(post(completion(Map.of("prompt", "hi", "deployment", "gpt-5-turbo"))), 422)
                .detail()).contains("it offers gpt-4o, gpt-4o-mini, o3 (keiko.llm.azure.deployments)");
        // A chat deployment is not an image deployment.
        ProblemBody.expect(post(Map.of("type", "image", "parameters", Map.of("prompt", "a cat",
                "deployment", "gpt-4o"))), 422);
        assertNothingStored();
    }

    @Test
    void anUnknownProviderAnswers422() {
        assertThat(ProblemBody.expect(post(completion(Map.of("prompt", "hi", "provider", "anthropic"))), 422).detail())
                .isEqualTo("Unknown LLM provider 'anthropic' in 'parameters.provider': use azure or openai");
        ProblemBody.expect(post(Map.of("type", "agent", "parameters", Map.of("goal", "g", "provider", "gemini"))),
                422);
        assertNothingStored();
    }

    @Test
    void overlongOrUnsafeNamesAnswer400() {
        for (String name : List.of("d".repeat(600), "d".repeat(129), "gpt 4o", "../../admin", "-gpt", "gpt\n4o",
                "gpt-4o?api-version=1", "")) {
            ProblemBody problem = ProblemBody.expect(post(completion(Map.of("prompt", "hi", "deployment", name))), 400);
            assertThat(problem.detail()).as(name).contains("'parameters.deployment' must be 1 to 128 characters");
            ProblemBody.expect(post(completion(Map.of("prompt", "hi", "provider", name))), 400);
            ProblemBody.expect(post(Map.of("type", "image", "parameters", Map.of("prompt", "p", "deployment", name))),
                    400);
        }
        assertNothingStored();
    }

    @Test
    void configuredDeploymentsAndDefaultsAreAccepted() {
        for (Map<String, Object> task : List.of(
                completion(Map.of("prompt", "hi")),
                completion(Map.of("prompt", "hi", "deployment", "gpt-4o")),
                completion(Map.of("prompt", "hi", "deployment", "o3", "provider", "azure")),
                Map.<String, Object>of("type", "agent", "parameters", Map.of("goal", "g", "deployment", "gpt-4o-mini")),
                Map.<String, Object>of("type", "image", "parameters", Map.of("prompt", "a cat", "deployment",
                        "dall-e-3")))) {
            post(task).expectStatus().isAccepted();
        }
    }

    private static Map<String, Object> completion(Map<String, Object> parameters) {
        return Map.of("type", "completion", "parameters", parameters);
    }

    private WebTestClient.ResponseSpec post(Map<String, Object> body) {
        return web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, "Bearer " + user.token())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private void assertNothingStored() {
        Map<?, ?> page = web.get().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, "Bearer " + user.token())
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat((List<?>) page.get("items")).isEmpty();
    }
}
