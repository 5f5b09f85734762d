package dev.keiko.activities.llm;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.keiko.activities.ActivityEnvironment.failure;
import static dev.keiko.activities.llm.LlmFakes.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.keiko.domain.llm.LlmProperties;
import dev.keiko.workflows.llm.ImageGenerationInput;
import dev.keiko.workflows.llm.ImageGenerationOutput;
import dev.keiko.workflows.llm.LlmFailureTypes;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Image generation against a fake Azure OpenAI. */
class AzureImageGenerationTest extends FakeProviderTest {

    @RegisterExtension
    static final WireMockExtension azure = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort()).build();

    private static final ImageGenerationInput LIGHTHOUSE =
            new ImageGenerationInput("task-1", null, null, "A lighthouse at dawn, watercolor", "1024x1024");

    @Override
    LlmProperties properties() {
        return LlmFakes.azure(azure.baseUrl());
    }

    @Test
    void returnsTheImageUrl() {
        azure.stubFor(post(urlPathEqualTo(LlmFakes.AZURE_IMAGES)).willReturn(json(200, "azure-image.json")));

        ImageGenerationOutput output = environment.activities().generateImage(LIGHTHOUSE);

        assertThat(output.urls()).containsExactly("https://dalleprodsec.blob.core.windows.net/private/images/"
                + "3f6a2c1e/generated_00.png?se=2026-11-27T10%3A00%3A00Z&sig=abc%3D");
        assertThat(output.revisedPrompt()).startsWith("A soft watercolor painting of a lighthouse");
        assertThat(output.model()).isEqualTo(LlmFakes.AZURE_IMAGE_DEPLOYMENT);
        azure.verify(postRequestedFor(urlPathEqualTo(LlmFakes.AZURE_IMAGES))
                .withQueryParam("api-version", equalTo(LlmFakes.API_VERSION))
                .withHeader("api-key", equalTo(LlmFakes.AZURE_KEY))
                .withRequestBody(matchingJsonPath("$.prompt", equalTo("A lighthouse at dawn, watercolor")))
                .withRequestBody(matchingJsonPath("$.size", equalTo("1024x1024"))));
    }

    @Test
    void refusesBase64Images() {
        azure.stubFor(post(urlPathEqualTo(LlmFakes.AZURE_IMAGES)).willReturn(json(200, "azure-image-b64.json")));

        ApplicationFailure failure = failure(() -> environment.activities().generateImage(LIGHTHOUSE));

        assertThat(failure.getType()).isEqualTo(LlmFailureTypes.BAD_REQUEST);
        assertThat(failure.isNonRetryable()).isTrue();
        assertThat(failure.getOriginalMessage()).contains("only URL responses are supported")
                .doesNotContain("iVBORw0KGgo");
    }
}
