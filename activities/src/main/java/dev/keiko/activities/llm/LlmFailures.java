package dev.keiko.activities.llm;

import dev.keiko.workflows.llm.LlmFailureTypes;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Turns what a provider answered into the activity's failure, the same way for every provider:
 * rate limits wait as long as the provider asked, outages are retried, the caller's mistakes are not.
 */
final class LlmFailures {

    private LlmFailures() {
    }

    /**
     * @param provider the provider's name, for the message
     * @param headers looks up a response header by name, case-insensitively; null when absent
     */
    static ApplicationFailure ofResponse(String provider, String deployment, int status,
            Function<String, String> headers, String body) {
        ProviderError error = ProviderError.parse(status, body);
        if (status == 429) {
            Duration delay = RetryAfter.of(headers, Clock.systemUTC());
            String wait = delay == null ? "" : " (retry after " + delay.toMillis() + " ms)";
            return ApplicationFailure.newBuilder()
                    .setType(LlmFailureTypes.RATE_LIMITED)
                    .setMessage(provider + " rate-limited the call" + wait + ": " + error.message())
                    .setNextRetryDelay(delay)
                    .build();
        }
        if (status >= 400 && status < 500 && error.isContentFilter()) {
            return contentFiltered(provider + " filtered the prompt: " + error.message());
        }
        return switch (status) {
            case 401, 403 -> nonRetryable(provider + " refused the credentials (HTTP " + status + "): "
                    + error.message(), LlmFailureTypes.AUTHENTICATION_FAILED);
            case 404 -> nonRetryable(provider + " has no deployment or model '" + deployment + "': " + error.message(),
                    LlmFailureTypes.UNKNOWN_DEPLOYMENT);
            case 408 -> unavailable(provider + " timed out (HTTP 408): " + error.message(), null);
            default -> status >= 400 && status < 500
                    ? nonRetryable(provider + " rejected the request (HTTP " + status + "): " + error.message(),
                            LlmFailureTypes.BAD_REQUEST)
                    : unavailable(provider + " failed (HTTP " + status + "): " + error.message(), null);
        };
    }

    /** What the provider's call threw: transport failures are retried, anything else passes on as it is. */
    static RuntimeException of(String provider, Throwable error) {
        if (error instanceof ApplicationFailure failure) {
            return failure;
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException || cause instanceof TimeoutException) {
                return unavailable(provider + " could not be reached: " + cause, error);
            }
        }
        return error instanceof RuntimeException runtime ? runtime : Activity.wrap(error);
    }

    /**
     * Whether the call failed before its request could reach the provider: the host was not found, or no
     * connection could be made. Anything later (a read timeout, a reset after sending) may have been answered
     * and billed.
     */
    static boolean neverSent(Throwable error) {
        int depth = 0;
        for (Throwable cause = error; cause != null && depth < 32; cause = cause.getCause(), depth++) {
            if (cause instanceof ConnectException || cause instanceof UnknownHostException
                    || cause instanceof HttpConnectTimeoutException || cause instanceof UnresolvedAddressException) {
                return true;
            }
        }
        return false;
    }

    /** An error event in the middle of a streamed answer: retried, unless the content filter stopped it. */
    static ApplicationFailure brokenOff(String provider, ProviderError error) {
        return error.isContentFilter() ? contentFiltered(provider + " filtered the answer: " + error.message())
                : unavailable(provider + " broke off its answer: " + error.message(), null);
    }

    static ApplicationFailure contentFiltered(String message) {
        return nonRetryable(message, LlmFailureTypes.CONTENT_FILTERED);
    }

    static ApplicationFailure badRequest(String message) {
        return nonRetryable(message, LlmFailureTypes.BAD_REQUEST);
    }

    static ApplicationFailure base64Only(String provider) {
        return badRequest(provider + " returned the image as base64 data; only URL responses are supported,"
                + " so that images stay out of workflow payloads: use a deployment or model that returns URLs");
    }

    /** What interrupted a wait for a rate-limited deployment's turn. */
    static RuntimeException waitFailed(Throwable error) {
        return error instanceof RuntimeException runtime ? runtime : Activity.wrap(error);
    }

    static ApplicationFailure notConfigured(String message) {
        return nonRetryable(message, LlmFailureTypes.PROVIDER_NOT_CONFIGURED);
    }

    private static ApplicationFailure unavailable(String message, Throwable cause) {
        return ApplicationFailure.newFailureWithCause(message, LlmFailureTypes.PROVIDER_UNAVAILABLE, cause);
    }

    private static ApplicationFailure nonRetryable(String message, String type) {
        return ApplicationFailure.newNonRetryableFailure(message, type);
    }
}
