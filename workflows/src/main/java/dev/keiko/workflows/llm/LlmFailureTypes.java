package dev.keiko.workflows.llm;

import java.util.List;

/** Failure types of {@link LlmActivities}. */
public final class LlmFailureTypes {

    /** 429: retried after the delay the provider asked for. */
    public static final String RATE_LIMITED = "RATE_LIMITED";

    /** 5xx, connection failures, timeouts: retried with backoff. */
    public static final String PROVIDER_UNAVAILABLE = "PROVIDER_UNAVAILABLE";

    /** 400 other than a content-filter refusal: the request is wrong and will stay wrong. */
    public static final String BAD_REQUEST = "LLM_BAD_REQUEST";

    /** The provider's content filter refused the prompt or the answer. */
    public static final String CONTENT_FILTERED = "CONTENT_FILTERED";

    /** 401 or 403 from the provider. */
    public static final String AUTHENTICATION_FAILED = "LLM_AUTHENTICATION_FAILED";

    /** The deployment or model does not exist (404). */
    public static final String UNKNOWN_DEPLOYMENT = "UNKNOWN_DEPLOYMENT";

    /** No provider of that name is configured on this worker. */
    public static final String PROVIDER_NOT_CONFIGURED = "PROVIDER_NOT_CONFIGURED";

    /** The call could overrun its owner's daily token budget; it was not made. */
    public static final String BUDGET_EXCEEDED = "BUDGET_EXCEEDED";

    public static final List<String> NON_RETRYABLE = List.of(BAD_REQUEST, CONTENT_FILTERED, AUTHENTICATION_FAILED,
            UNKNOWN_DEPLOYMENT, PROVIDER_NOT_CONFIGURED, BUDGET_EXCEEDED);

    private LlmFailureTypes() {
    }
}
