package dev.keiko.activities.llm;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.keiko.activities.ActivityEnvironment.failure;
import static dev.keiko.activities.llm.LlmFakes.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.keiko.activities.budget.ModelCallCharges;
import dev.keiko.domain.llm.LlmProperties;
import dev.keiko.domain.llm.LlmRateLimits;
import dev.keiko.workflows.llm.ChatCompletionInput;
import dev.keiko.workflows.llm.ImageGenerationInput;
import dev.keiko.workflows.llm.LlmActivities;
import dev.keiko.workflows.llm.LlmFailureTypes;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/** Which provider and deployment a call goes to, and what happens when there is none. */
class ProviderSelectionTest {

    @RegisterExtension
    static final WireMockExtension openAi = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort()).build();

    private static final LlmProperties NOTHING_CONFIGURED = new LlmProperties(LlmProperties.AZURE,
            new LlmProperties.Azure(null, null, LlmFakes.API_VERSION, null, null),
            new LlmProperties.OpenAi(null, null, null, null), null);

    @Test
    void unconfiguredProviderNamesTheKeysToSet() {
        ApplicationFailure failure = failureOf(NOTHING_CONFIGURED, LlmFakes.question());

        assertThat(failure.getType()).isEqualTo(LlmFailureTypes.PROVIDER_NOT_CONFIGURED);
        assertThat(failure.isNonRetryable()).isTrue();
        assertThat(failure.getOriginalMessage()).contains("keiko.llm.azure.endpoint", "keiko.llm.azure.api-key");
    }

    @Test
    void unconfiguredProviderOfTheCallNamesItsKeys() {
        ChatCompletionInput question = LlmFakes.question();
        ChatCompletionInput input = new ChatCompletionInput(question.taskId(), "openai", null, question.messages(),
                question.tools(), null, null);

        ApplicationFailure failure = failureOf(NOTHING_CONFIGURED, input);

        assertThat(failure.getType()).isEqualTo(LlmFailureTypes.PROVIDER_NOT_CONFIGURED);
        assertThat(failure.getOriginalMessage()).contains("keiko.llm.openai.base-url");
    }

    @Test
    void unknownProviderIsNotConfigured() {
        ChatCompletionInput question = LlmFakes.question();
        ChatCompletionInput input = new ChatCompletionInput(question.taskId(), "anthropic", null,
                question.messages(), question.tools(), null, null);

        ApplicationFailure failure = failureOf(LlmFakes.openAi(openAi.baseUrl()), input);

        assertThat(failure.getType()).isEqualTo(LlmFailureTypes.PROVIDER_NOT_CONFIGURED);
        assertThat(failure.getOriginalMessage()).contains("'anthropic'");
    }

    @Test
    void missingDeploymentNamesItsKey() {
        LlmProperties noModels = new LlmProperties(LlmProperties.OPENAI, NOTHING_CONFIGURED.azure(),
                new LlmProperties.OpenAi(openAi.baseUrl() + "/v1", null, null, null), null);
        try (LlmActivityEnvironment environment = new LlmActivityEnvironment(new LlmActivitiesImpl(noModels))) {
            ApplicationFailure chat = failure(() -> environment.activities().complete(LlmFakes.question()));
            ApplicationFailure image = failure(() -> environment.activities()
                    .generateImage(new ImageGenerationInput("task-1", null, null, "A lighthouse", null)));

            assertThat(chat.getType()).isEqualTo(LlmFailureTypes.PROVIDER_NOT_CONFIGURED);
            assertThat(chat.getOriginalMessage()).contains("keiko.llm.openai.model");
            assertThat(image.getType()).isEqualTo(LlmFailureTypes.PROVIDER_NOT_CONFIGURED);
            assertThat(image.getOriginalMessage()).contains("keiko.llm.openai.image-model");
        }
    }

    @Test
    void springBindsTheBeanToKeikoLlmProperties() {
        openAi.stubFor(post(urlEqualTo(LlmFakes.OPENAI_CHAT)).willReturn(json(200, "openai-chat-answer.json")));
        new ApplicationContextRunner()
                .withUserConfiguration(LlmConfiguration.class)
                .withPropertyValues("keiko.llm.provider=openai",
                        "keiko.llm.openai.base-url=" + openAi.baseUrl() + "/v1",
                        "keiko.llm.openai.api-key=sk-from-config", "keiko.llm.openai.model=llama3.2")
                .run(context -> {
                    LlmActivities bean = context.getBean("llmActivities", LlmActivities.class);
                    try (LlmActivityEnvironment environment = new LlmActivityEnvironment(bean)) {
                        environment.activities().complete(LlmFakes.question());
                    }
                });

        openAi.verify(postRequestedFor(urlEqualTo(LlmFakes.OPENAI_CHAT))
                .withHeader("Authorization", equalTo("Bearer sk-from-config")));
    }

    private static ApplicationFailure failureOf(LlmProperties properties, ChatCompletionInput input) {
        try (LlmActivityEnvironment environment = new LlmActivityEnvironment(new LlmActivitiesImpl(properties))) {
            return failure(() -> environment.activities().complete(input));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({LlmProperties.class, LlmRateLimits.class})
    @ComponentScan(basePackageClasses = LlmActivitiesImpl.class)
    static class LlmConfiguration {

        /** No database here: calls charge no one. */
        @Bean
        ModelCallCharges modelCallCharges() {
            return ModelCallCharges.NONE;
        }
    }
}
