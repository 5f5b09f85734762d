package dev.keiko.activities.llm;

import dev.keiko.domain.llm.LlmProperties;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Picks the provider and deployment of each call from the input and {@code keiko.llm.*}. Each
 * provider, and so its HTTP client, is built on first use and reused: a worker that never calls
 * a provider never needs it configured.
 */
final class LlmProviders {

    private final LlmProperties properties;
    private final Map<String, ChatProvider> providers = new ConcurrentHashMap<>();

    LlmProviders(LlmProperties properties) {
        this.properties = properties;
    }

    LlmTarget forChat(String provider, String deployment) {
        String name = configured(provider);
        boolean azure = LlmProperties.AZURE.equals(name);
        String fallback = azure ? properties.azure().deployment() : properties.openai().model();
        return target(name, deployment, fallback, azure ? "chat deployment" : "chat model",
                azure ? "keiko.llm.azure.deployment" : "keiko.llm.openai.model");
    }

    LlmTarget forImages(String provider, String deployment) {
        String name = configured(provider);
        boolean azure = LlmProperties.AZURE.equals(name);
        String fallback = azure ? properties.azure().imageDeployment() : properties.openai().imageModel();
        return target(name, deployment, fallback, azure ? "image deployment" : "image model",
                azure ? "keiko.llm.azure.image-deployment" : "keiko.llm.openai.image-model");
    }

    private LlmTarget target(String name, String requested, String fallback, String what, String key) {
        String deployment = isBlank(requested) ? fallback : requested;
        if (isBlank(deployment)) {
            throw LlmFailures.notConfigured("No " + what + " for LLM provider '" + name + "': pass one with the call"
                    + " or set " + key);
        }
        return new LlmTarget(providers.computeIfAbsent(name, this::create), deployment);
    }

    private String configured(String requested) {
        String name = (isBlank(requested) ? properties.provider() : requested).trim().toLowerCase(Locale.ROOT);
        if (!LlmProperties.AZURE.equals(name) && !LlmProperties.OPENAI.equals(name)) {
            throw LlmFailures.notConfigured("Unknown LLM provider '" + name + "': use 'azure' or 'openai'"
                    + " (keiko.llm.provider)");
        }
        if (!properties.isConfigured(name)) {
            throw LlmFailures.notConfigured(LlmProperties.AZURE.equals(name)
                    ? "LLM provider 'azure' is not configured on this worker: set keiko.llm.azure.endpoint, and"
                            + " keiko.llm.azure.api-key unless the worker signs in with Microsoft Entra ID"
                    : "LLM provider 'openai' is not configured on this worker: set keiko.llm.openai.base-url, and"
                            + " keiko.llm.openai.api-key if the endpoint needs one");
        }
        return name;
    }

    private ChatProvider create(String name) {
        return LlmProperties.AZURE.equals(name)
                ? new AzureOpenAiProvider(properties.azure(), properties.responseTimeout())
                : new OpenAiCompatibleProvider(properties.openai(), properties.responseTimeout());
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
