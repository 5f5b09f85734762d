package dev.keiko.api.problem;

import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** RFC 9457 problems for the caller's mistakes, answered by {@link ApiExceptionHandler}. */
public final class Problems {

    private Problems() {
    }

    public static ErrorResponseException badRequest(String detail) {
        return of(HttpStatus.BAD_REQUEST, detail);
    }

    public static ErrorResponseException notFound(String detail) {
        return of(HttpStatus.NOT_FOUND, detail);
    }

    public static ErrorResponseException conflict(String detail) {
        return of(HttpStatus.CONFLICT, detail);
    }

    public static ErrorResponseException unprocessable(String detail) {
        return of(HttpStatus.UNPROCESSABLE_CONTENT, detail);
    }

    public static ErrorResponseException unavailable(String detail) {
        return of(HttpStatus.SERVICE_UNAVAILABLE, detail);
    }

    /** A problem whose {@code Retry-After} header says how many seconds to wait (rounded up, at least 1). */
    public static ErrorResponseException retryLater(HttpStatus status, String detail, Duration retryAfter) {
        ErrorResponseException problem = of(status, detail);
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        problem.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        return problem;
    }

    public static ErrorResponseException of(HttpStatus status, String detail) {
        return new ErrorResponseException(status, ProblemDetail.forStatusAndDetail(status, detail), null);
    }
}
