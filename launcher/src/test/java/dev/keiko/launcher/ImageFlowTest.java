package dev.keiko.launcher;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.domain.user.Role;
import dev.keiko.launcher.DevSystem.TestUser;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/** Image tasks end to end through Azure OpenAI's image generation (a WireMock fake): the result holds the URL. */
class ImageFlowTest {

    @Test
    void anImageTaskStoresTheImagesUrl() {
        DevSystem system = DevSystem.shared();
        TestUser user = system.user(Role.USER);
        String deployment = DevSystem.IMAGE_DEPLOYMENT;
        DevSystem.AZURE_OPENAI.stubFor(post(urlPathEqualTo("/openai/deployments/" + deployment + "/images/generations"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("""
                        {"created": 1764150000, "data": [{"url": "https://images.example/cat.png",
                          "revised_prompt": "A photo of a cat"}]}
                        """)));

        String id = (String) system.web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, user.bearer())
                .bodyValue(Map.of("type", "image", "parameters", Map.of("prompt", "a cat", "size", "1024x1024",
                        "deployment", deployment)))
                .exchange().expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");

        Map<?, ?> task = TaskFlowTest.awaitStatus(system.web, user, id, "completed", Duration.ofSeconds(30));
        Map<?, ?> data = (Map<?, ?>) ((Map<?, ?>) task.get("result")).get("data");
        assertThat(data.get("urls")).isEqualTo(List.of("https://images.example/cat.png"));
        assertThat(data.get("revisedPrompt")).isEqualTo("A photo of a cat");
    }
}
