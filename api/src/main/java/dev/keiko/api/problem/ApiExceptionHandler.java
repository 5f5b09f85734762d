package dev.keiko.api.problem;

import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
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

    @ExceptionHandler(AccessDeniedException.class)
    Mono<ResponseEntity<Object>> accessDenied(AccessDeniedException e, ServerWebExchange exchange) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, e.getMessage());
        return handleExceptionInternal(e, problem, null, HttpStatus.FORBIDDEN, exchange);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleWebExchangeBindException(
            WebExchangeBindException e, HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        String detail = e.getFieldErrors().stream()
                .map(error -> "'" + error.getField() + "' " + error.getDefaultMessage())
                .collect(Collectors.joining("; "));
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                detail.isEmpty() ? "Invalid request" : detail);
        return handleExceptionInternal(e, problem, headers, HttpStatus.BAD_REQUEST, exchange);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleServerWebInputException(
            ServerWebInputException e, HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        if (causedBy(e, DataBufferLimitException.class)) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
                    "The request body is larger than this server accepts");
            return handleExceptionInternal(e, problem, headers, HttpStatus.CONTENT_TOO_LARGE, exchange);
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, inputDetail(e));
        return handleExceptionInternal(e, problem, headers, HttpStatus.BAD_REQUEST, exchange);
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
        for (Throwable current = e; current != null; current = current.getCause()) {
            if (type.isInstance(current)) {
                return true;
            }
            if (current.getCause() == current) {
                return false;
            }
        }
        return false;
    }
}
