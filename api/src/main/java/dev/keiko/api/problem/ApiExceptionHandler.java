package dev.keiko.api.problem;

import io.r2dbc.spi.R2dbcException;
import io.temporal.client.WorkflowServiceException;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;

/**
 * Answers every error as RFC 9457 problem+json. Spring's own exceptions (malformed bodies, unknown
 * routes, wrong methods) keep their 4xx; bodies over the size limit answer 413; validation errors
 * name each field.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
    // invalid byte sequence (0x00 in text), unsupported Unicode escape (\u0000 in jsonb)
    private static final Set<String> NUL_REFUSED = Set.of("22021", "22P05");
    static final String DATABASE_UNAVAILABLE = "The database is unavailable; try again later";

    @ExceptionHandler(AccessDeniedException.class)
    Mono<ResponseEntity<Object>> accessDenied(AccessDeniedException e, ServerWebExchange exchange) {
        return problem(e, null, HttpStatus.FORBIDDEN, e.getMessage(), exchange);
    }

    /** PostgreSQL refuses the NUL character in text and JSON: that is the caller's input, not our fault. */
    @ExceptionHandler(DataAccessException.class)
    Mono<ResponseEntity<Object>> database(DataAccessException e, ServerWebExchange exchange) {
        R2dbcException cause = findCause(e, R2dbcException.class);
        if (cause != null && NUL_REFUSED.contains(cause.getSqlState())) {
            return problem(e, null, HttpStatus.BAD_REQUEST,
                    "Text must not contain the NUL character (\\u0000)", exchange);
        }
        log.error("Database failure on {}", exchange.getRequest().getPath(), e);
        return problem(e, null, HttpStatus.SERVICE_UNAVAILABLE, DATABASE_UNAVAILABLE, exchange);
    }

    @ExceptionHandler(WorkflowServiceException.class)
    Mono<ResponseEntity<Object>> temporal(WorkflowServiceException e, ServerWebExchange exchange) {
        log.error("Temporal failure on {}", exchange.getRequest().getPath(), e);
        return problem(e, null, HttpStatus.SERVICE_UNAVAILABLE, "Temporal is unavailable; try again later", exchange);
    }

    /** A body read past its limit by a handler itself (the codec endpoint), with no length declared up front. */
    @ExceptionHandler(DataBufferLimitException.class)
    Mono<ResponseEntity<Object>> tooLarge(DataBufferLimitException e, ServerWebExchange exchange) {
        return problem(e, null, HttpStatus.CONTENT_TOO_LARGE, "The request body is larger than this server accepts",
                exchange);
    }

    /** Anything else is our fault: still problem+json, without internals. */
    @ExceptionHandler(Exception.class)
    Mono<ResponseEntity<Object>> unexpected(Exception e, ServerWebExchange exchange) {
        log.error("Unexpected failure on {}", exchange.getRequest().getPath(), e);
        return problem(e, null, HttpStatus.INTERNAL_SERVER_ERROR, "An unexpected error occurred", exchange);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleWebExchangeBindException(
            WebExchangeBindException e, HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        String detail = e.getFieldErrors().stream()
                .map(error -> "'" + error.getField() + "' " + error.getDefaultMessage())
                .collect(Collectors.joining("; "));
        return problem(e, headers, HttpStatus.BAD_REQUEST, detail.isEmpty() ? "Invalid request" : detail, exchange);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleServerWebInputException(
            ServerWebInputException e, HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        if (causedBy(e, DataBufferLimitException.class)) {
            return problem(e, headers, HttpStatus.CONTENT_TOO_LARGE,
                    "The request body is larger than this server accepts", exchange);
        }
        return problem(e, headers, HttpStatus.BAD_REQUEST, inputDetail(e), exchange);
    }

    private static String inputDetail(ServerWebInputException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof StreamReadException malformed) {
            return "Malformed JSON: " + malformed.getOriginalMessage();
        }
        if (root instanceof JacksonException invalid) {
            String path = invalid.getPath().stream()
                    .map(reference -> reference.getPropertyName() != null ? reference.getPropertyName()
                            : String.valueOf(reference.getIndex()))
                    .collect(Collectors.joining("."));
            return path.isEmpty() ? "Invalid JSON: " + invalid.getOriginalMessage()
                    : "Invalid value for '" + path + "': " + invalid.getOriginalMessage();
        }
        if (e.getMethodParameter() != null && e.getMethodParameter().getParameterName() != null) {
            return "Invalid value for '" + e.getMethodParameter().getParameterName() + "'"
                    + (root != e && root.getMessage() != null ? ": " + firstLine(root.getMessage()) : "");
        }
        String reason = e.getReason() != null ? e.getReason() : "Invalid request";
        return root != e && root.getMessage() != null ? reason + ": " + firstLine(root.getMessage()) : reason;
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline > 0 ? message.substring(0, newline) : message;
    }

    private static boolean causedBy(@Nullable Throwable e, Class<? extends Throwable> type) {
        return findCause(e, type) != null;
    }

    private static <T extends Throwable> @Nullable T findCause(@Nullable Throwable e, Class<T> type) {
        for (Throwable current = e; current != null; current = current.getCause()) {
            if (type.isInstance(current)) {
                return type.cast(current);
            }
            if (current.getCause() == current) {
                return null;
            }
        }
        return null;
    }

    /**
     * Every problem is problem+json, whatever the request accepts or the endpoint produces: without this, a
     * refused {@code GET .../events} asking for {@code text/event-stream} would get its problem as an event.
     */
    @Override
    protected Mono<ResponseEntity<Object>> createResponseEntity(@Nullable Object body, @Nullable HttpHeaders headers,
            HttpStatusCode status, ServerWebExchange exchange) {
        if (!(body instanceof ProblemDetail)) {
            return super.createResponseEntity(body, headers, status, exchange);
        }
        HttpHeaders problemHeaders = new HttpHeaders();
        if (headers != null) {
            problemHeaders.putAll(headers);
        }
        problemHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return super.createResponseEntity(body, problemHeaders, status, exchange);
    }

    private Mono<ResponseEntity<Object>> problem(Exception e, HttpHeaders headers, HttpStatus status, String detail,
            ServerWebExchange exchange) {
        return handleExceptionInternal(e, ProblemDetail.forStatusAndDetail(status, detail), headers, status, exchange);
    }
}
