package dev.keiko.domain.llm;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which LLM providers Keiko can call, {@code keiko.llm.*}. A provider is configured when its
 * endpoint (Azure) or base URL (OpenAI-compatible) is set; secrets come from the environment.
 *
 * @param provider the default provider, {@code azure} or {@code openai}
 * @param responseTimeout how long a call waits for the provider's answer to begin (and, on Azure, between reads of
 *     it) before it fails as unavailable and is retried; the model call's start-to-close timeout (2 minutes) bounds
 *     the whole attempt whatever this is
 */
@ConfigurationProperties("keiko.llm")
public record LlmProperties(
        @DefaultValue("azure") String provider,
        @DefaultValue Azure azure,
        @DefaultValue OpenAi openai,
        @DefaultValue("3m") Duration responseTimeout) {

    public static final String AZURE = "azure";
    public static final String OPENAI = "openai";
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofMinutes(3);

    public LlmProperties {
        if (responseTimeout == null) {
            responseTimeout = DEFAULT_RESPONSE_TIMEOUT;
        } else if (!responseTimeout.isPositive()) {
            throw new IllegalArgumentException("keiko.llm.response-timeout must be positive, not " + responseTimeout);
        }
    }

    /** Whether {@code name} (or the default provider when null) is configured. */
    public boolean isConfigured(String name) {
        String chosen = name == null ? provider : name;
        return switch (chosen) {
            case AZURE -> azure.endpoint() != null && !azure.endpoint().isBlank();
            case OPENAI -> openai.baseUrl() != null && !openai.baseUrl().isBlank();
            default -> false;
        };
    }

    /**
     * Azure OpenAI. Without {@code apiKey}, Microsoft Entra ID ({@code DefaultAzureCredential}) is used.
     *
     * @param deployment the default chat deployment
     * @param imageDeployment the default image deployment
     */
    public record Azure(
            String endpoint,
            String apiKey,
            @DefaultValue("2024-10-21") String apiVersion,
            String deployment,
            String imageDeployment) {
    }

    /**
     * An OpenAI-compatible endpoint: OpenAI itself, Ollama, vLLM, LM Studio, llama.cpp's server.
     *
     * @param baseUrl for example {@code https://api.openai.com/v1} or {@code http://localhost:11434/v1}
     * @param model the default chat model
     * @param imageModel the default image model
     */
    public record OpenAi(String baseUrl, String apiKey, String model, String imageModel) {
    }
}
