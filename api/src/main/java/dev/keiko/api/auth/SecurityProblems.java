package dev.keiko.api.auth;

import dev.keiko.api.problem.ProblemWriter;
import java.net.URI;
import java.util.Map;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Answers requests that the security filters turn away (no or bad token: 401; role not allowed: 403; a
 * path or method the firewall refuses, such as {@code ..}, {@code //} or an encoded NUL: 400) as
 * problem+json, written by the same codecs as the problems controllers answer.
 */
@Component
public class SecurityProblems
        implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler, ServerExchangeRejectedHandler {

    static final String TOKEN_REQUIRED = "Authentication required: send 'Authorization: Bearer <token>' with"
            + " an access token from POST /api/v1/auth/token";

    private final HttpMessageWriter<ProblemDetail> writer;

    public SecurityProblems(ServerCodecConfigurer codecs) {
        this.writer = ProblemWriter.of(codecs);
    }

    @Override
    public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException e) {
        boolean badToken = e instanceof OAuth2AuthenticationException;
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE,
                badToken ? "Bearer error=\"invalid_token\"" : "Bearer");
        String detail = badToken ? "Invalid access token: " + e.getMessage() : TOKEN_REQUIRED;
        return write(exchange, HttpStatus.UNAUTHORIZED, detail);
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
        var request = exchange.getRequest();
        return write(exchange, HttpStatus.FORBIDDEN,
                "Your role does not allow " + request.getMethod() + " " + request.getPath().value());
    }

    /** Replaces the firewall's default answer, a 400 without a body. */
    @Override
    public Mono<Void> handle(ServerWebExchange exchange, ServerExchangeRejectedException rejected) {
        return write(exchange, HttpStatus.BAD_REQUEST, "The request was refused: " + rejected.getMessage());
    }

    private Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
        exchange.getResponse().setStatusCode(status);
        return writer.write(Mono.just(problem), ResolvableType.forClass(ProblemDetail.class),
                MediaType.APPLICATION_PROBLEM_JSON, exchange.getResponse(), Map.of());
    }
}
