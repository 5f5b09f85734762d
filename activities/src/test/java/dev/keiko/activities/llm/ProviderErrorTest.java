package dev.keiko.activities.llm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProviderErrorTest {

    @Test
    void readsAzuresContentFilterRefusal() {
        ProviderError error = ProviderError.parse(400, LlmFakes.read("azure-content-filter.json"));

        assertThat(error.code()).isEqualTo("content_filter");
        assertThat(error.innerCode()).isEqualTo("ResponsibleAIPolicyViolation");
        assertThat(error.isContentFilter()).isTrue();
    }

    @Test
    void recognisesTheContentFilterByItsInnerCodeAndTheImageApisSpelling() {
        assertThat(ProviderError.parse(400, "{\"error\":{\"code\":\"BadRequest\",\"message\":\"x\","
                + "\"innererror\":{\"code\":\"ResponsibleAIPolicyViolation\"}}}").isContentFilter()).isTrue();
        assertThat(ProviderError.parse(400, "{\"error\":{\"code\":\"contentFilter\",\"message\":\"Your task failed"
                + " as a result of our safety system.\"}}").isContentFilter()).isTrue();
        assertThat(ProviderError.parse(400, LlmFakes.read("azure-bad-request.json")).isContentFilter()).isFalse();
    }

    @Test
    void readsOtherShapesOfErrors() {
        assertThat(ProviderError.parse(404, "{\"error\":\"model 'llama9' not found, try pulling it first\"}")
                .message()).isEqualTo("model 'llama9' not found, try pulling it first");
        assertThat(ProviderError.parse(502, "<html>Bad Gateway</html>").message())
                .isEqualTo("<html>Bad Gateway</html>");
        assertThat(ProviderError.parse(503, "").message()).isEqualTo("HTTP 503");
        assertThat(ProviderError.parse(400, "{\"error\":{\"message\":\"" + "x".repeat(2000) + "\"}}").message())
                .hasSizeLessThan(600);
    }
}
