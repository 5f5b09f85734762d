package dev.keiko.api.problem;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses a request whose declared body is over {@code keiko.api.max-request-size} with 413 before
 * anything reads it. Bodies without a length are capped by the codecs' in-memory limit instead. The codec
 * endpoint ({@code /codec/*}) has a limit of its own, {@code keiko.codec.max-request-size}, and reads its
 * bodies up to it itself.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestSizeLimitFilter implements WebFilter {

    private final long maxBytes;
    private final long maxCodecBytes;
    private final JsonMapper json;

    public RequestSizeLimitFilter(@Value("${keiko.api.max-request-size}") DataSize maxSize,
            @Value("${keiko.codec.max-request-size:2MB}") DataSize maxCodecSize, JsonMapper json) {
        this.maxBytes = maxSize.toBytes();
        this.maxCodecBytes = maxCodecSize.toBytes();
        this.json = json;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long length = exchange.getRequest().getHeaders().getContentLength();
        long limit = exchange.getRequest().getPath().value().startsWith("/codec/") ? maxCodecBytes : maxBytes;
        if (length <= limit) {
            return chain.filter(exchange);
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
                "The request body is " + length + " bytes; this server accepts at most " + limit);
        problem.setInstance(exchange.getRequest().getURI());
        var response = exchange.getResponse();
        response.setStatusCode(HttpStatus.CONTENT_TOO_LARGE);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        byte[] body = json.writeValueAsBytes(problem);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
