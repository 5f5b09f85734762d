package dev.keiko.api.problem;

import io.r2dbc.spi.R2dbcException;
import java.net.URI;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * Answers 503 problem+json when the database fails under a web filter rather than a controller: the bearer token's
 * check that its user is still active reads PostgreSQL before any controller runs, and {@link ApiExceptionHandler}
 * never sees what a filter throws. Without this, Boot's error handler answered those 500, in its own format.
 */
@Component
@Order(-2)
class DatabaseFailureProblems implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(DatabaseFailureProblems.class);

    private final HttpMessageWriter<ProblemDetail> writer;

    DatabaseFailureProblems(ServerCodecConfigurer codecs) {
        this.writer = ProblemWriter.of(codecs);
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        if (!isDatabaseFailure(error) || exchange.getResponse().isCommitted()) {
            return Mono.error(error);
        }
        String path = exchange.getRequest().getPath().value();
        log.error("Database failure on {}", path, error);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                ApiExceptionHandler.DATABASE_UNAVAILABLE);
        problem.setInstance(URI.create(path));
        exchange.getResponse().setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
        return writer.write(Mono.just(problem), ResolvableType.forClass(ProblemDetail.class),
                MediaType.APPLICATION_PROBLEM_JSON, exchange.getResponse(), Map.of());
    }

    private static boolean isDatabaseFailure(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof DataAccessException || cause instanceof R2dbcException) {
                return true;
            }
        }
        return false;
    }
}
