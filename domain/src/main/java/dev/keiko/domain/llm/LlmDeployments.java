package dev.keiko.domain.llm;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The deployments (Azure) and models (OpenAI-compatible) a task may name, {@code keiko.llm.azure.deployments},
 * {@code keiko.llm.azure.image-deployments}, {@code keiko.llm.openai.models} and {@code keiko.llm.openai.image-models}.
 * Each provider's default ({@code keiko.llm.azure.deployment} and the like) is always among them; without a
 * list, it is the only one.
 */
@ConfigurationProperties("keiko.llm")
public record LlmDeployments(@DefaultValue Azure azure, @DefaultValue OpenAi openai) {

    public record Azure(@DefaultValue List<String> deployments, @DefaultValue List<String> imageDeployments) {
    }

    public record OpenAi(@DefaultValue List<String> models, @DefaultValue List<String> imageModels) {
    }

    /** The chat deployments or models of {@code provider} ({@code azure} or {@code openai}) tasks may name. */
    public Set<String> chat(String provider, LlmProperties llm) {
        return LlmProperties.AZURE.equals(provider) ? names(llm.azure().deployment(), azure.deployments())
                : names(llm.openai().model(), openai.models());
    }

    /** The image deployments or models of {@code provider} tasks may name. */
    public Set<String> images(String provider, LlmProperties llm) {
        return LlmProperties.AZURE.equals(provider) ? names(llm.azure().imageDeployment(), azure.imageDeployments())
                : names(llm.openai().imageModel(), openai.imageModels());
    }

    /** The setting that lists them, for messages. */
    public static String setting(String provider, boolean images) {
        if (LlmProperties.AZURE.equals(provider)) {
            return images ? "keiko.llm.azure.image-deployments" : "keiko.llm.azure.deployments";
        }
        return images ? "keiko.llm.openai.image-models" : "keiko.llm.openai.models";
    }

    private static Set<String> names(String fallback, List<String> listed) {
        Set<String> names = new LinkedHashSet<>();
        if (fallback != null && !fallback.isBlank()) {
            names.add(fallback);
        }
        listed.stream().filter(name -> name != null && !name.isBlank()).forEach(names::add);
        return names;
    }
}
