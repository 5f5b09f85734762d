package dev.keiko.api.task;

import dev.keiko.api.problem.Problems;
import dev.keiko.domain.llm.LlmDeployments;
import dev.keiko.domain.llm.LlmProperties;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.web.ErrorResponseException;

/**
 * The provider and deployment an LLM or agent task names, before they reach Temporal or a log: bounded
 * and from a safe set of characters (400 otherwise), and among those configured (422 otherwise).
 */
final class ModelNames {

    static final int MAX_LENGTH = 128;
    // Azure deployments, and model names such as llama3.1:8b (Ollama) or meta-llama/Llama-3.1-8B (vLLM).
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]*");
    private static final Set<String> PROVIDERS = Set.of(LlmProperties.AZURE, LlmProperties.OPENAI);

    private final LlmProperties llm;
    private final LlmDeployments deployments;

    ModelNames(LlmProperties llm, LlmDeployments deployments) {
        this.llm = llm;
        this.deployments = deployments;
    }

    /** Checks the raw {@code provider} and {@code deployment}, when they are strings; other types are the parser's. */
    void checkShape(Map<String, Object> parameters) {
        if (parameters == null) {
            return;
        }
        if (parameters.get("provider") instanceof String provider) {
            requireSafe("provider", provider);
            if (!PROVIDERS.contains(provider)) {
                throw Problems.unprocessable("Unknown LLM provider '" + provider + "' in 'parameters.provider':"
                        + " use azure or openai");
            }
        }
        if (parameters.get("deployment") instanceof String deployment) {
            requireSafe("deployment", deployment);
        }
    }

    /** Refuses a deployment the provider's configuration does not list; null means the provider's default. */
    void requireKnown(String provider, String deployment, boolean images) {
        if (deployment == null) {
            return;
        }
        String name = provider != null ? provider : llm.provider();
        Set<String> known = images ? deployments.images(name, llm) : deployments.chat(name, llm);
        if (!known.contains(deployment)) {
            String offered = known.isEmpty() ? "none is configured" : "it offers " + String.join(", ", known);
            throw Problems.unprocessable("Unknown " + (images ? "image " : "") + "deployment '" + deployment
                    + "' for LLM provider '" + name + "': " + offered + " (" + LlmDeployments.setting(name, images)
                    + ")");
        }
    }

    private static void requireSafe(String parameter, String value) {
        if (value.length() > MAX_LENGTH || !SAFE.matcher(value).matches()) {
            throw invalid(parameter);
        }
    }

    private static ErrorResponseException invalid(String parameter) {
        return Problems.badRequest("'parameters." + parameter + "' must be 1 to " + MAX_LENGTH + " characters:"
                + " letters, digits and . _ : / - (not first)");
    }
}
