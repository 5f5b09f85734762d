package dev.keiko.api.codec;

import java.time.Duration;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.cors.reactive.DefaultCorsProcessor;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * CORS for the codec operations: only {@code keiko.codec.allowed-origins} may call them from a page, with
 * credentials, sending {@code Authorization}, {@code Content-Type} and {@code X-Namespace}. Preflights are
 * answered here; a refused origin gets 403 problem+json (Spring's own CORS filter answers without a body).
 */
final class CodecCors implements WebFilter {

    private final UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
    private final DefaultCorsProcessor processor = new DefaultCorsProcessor();
    private final JsonMapper json;

    CodecCors(CodecProperties properties, JsonMapper json) {
        this.json = json;
        CorsConfiguration config = new CorsConfiguration();
        config.setAllowedOrigins(properties.allowedOrigins());
        config.setAllowedMethods(List.of(HttpMethod.POST.name()));
        config.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, "X-Namespace"));
        config.setAllowCredentials(true);
        config.setMaxAge(Duration.ofHours(1));
        source.registerCorsConfiguration("/codec/decode", config);
        source.registerCorsConfiguration("/codec/encode", config);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!processor.process(source.getCorsConfiguration(exchange), exchange)) {
            return refuse(exchange);
        }
        return CorsUtils.isPreFlightRequest(exchange.getRequest()) ? Mono.empty() : chain.filter(exchange);
    }

    private Mono<Void> refuse(ServerWebExchange exchange) {
        var request = exchange.getRequest();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, "Pages from "
                + request.getHeaders().getOrigin() + " may not call " + request.getPath().value()
                + ": only the origins in keiko.codec.allowed-origins may");
        problem.setInstance(request.getURI());
        var response = exchange.getResponse();
        response.setStatusCode(HttpStatus.FORBIDDEN);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(json.writeValueAsBytes(problem))));
    }
}
