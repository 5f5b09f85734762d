package dev.keiko.activities.llm;

import java.util.Locale;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an error response's body says, in the OpenAI shape Azure and the compatible servers share:
 * {@code {"error": {"code": ..., "message": ..., "innererror": {"code": ...}}}}.
 *
 * @param code the error's code, or null
 * @param innerCode Azure's {@code innererror.code}, or null
 * @param message the provider's own message, shortened; never null
 */
record ProviderError(String code, String innerCode, String message) {

    private static final int MAX_MESSAGE = 500;
    private static final JsonMapper JSON = JsonMapper.shared();
    // Azure's chat and image APIs spell it differently; OpenAI's image API has its own.
    private static final Set<String> CONTENT_FILTER_CODES =
            Set.of("content_filter", "contentfilter", "content_policy_violation");
    private static final String RESPONSIBLE_AI_POLICY_VIOLATION = "ResponsibleAIPolicyViolation";

    static ProviderError parse(int status, String body) {
        if (body == null || body.isBlank()) {
            return new ProviderError(null, null, "HTTP " + status);
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException notJson) {
            return new ProviderError(null, null, shorten(body.strip()));
        }
        JsonNode error = root.path("error");
        if (error.isString()) {
            return new ProviderError(null, null, shorten(error.stringValue()));
        }
        JsonNode details = error.isObject() ? error : root;
        String message = text(details.path("message"));
        return new ProviderError(text(details.path("code")), text(details.path("innererror").path("code")),
                message == null ? "HTTP " + status : shorten(message));
    }

    boolean isContentFilter() {
        return code != null && CONTENT_FILTER_CODES.contains(code.toLowerCase(Locale.ROOT))
                || RESPONSIBLE_AI_POLICY_VIOLATION.equals(innerCode);
    }

    private static String text(JsonNode node) {
        return node.isString() || node.isNumber() ? node.asString() : null;
    }

    private static String shorten(String text) {
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "…";
    }
}
