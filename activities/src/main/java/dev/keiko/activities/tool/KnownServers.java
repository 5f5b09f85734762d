package dev.keiko.activities.tool;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.keiko.domain.mcp.McpServer;
import dev.keiko.domain.mcp.McpServerCatalog;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import reactor.core.publisher.Mono;

/**
 * Looks MCP servers up in the catalog, and keeps the definition this worker last read of each for
 * {@code keiko.mcp.known-server-max-age}, so that a call can go on while PostgreSQL cannot be reached: without it, a
 * tool call's five attempts ran out within 15 s of an outage and failed its task. Only a failure to reach the
 * database falls back on it (not a query that failed), only what the database answered within that age is used, a
 * server found missing is forgotten, and the catalog is read again on every lookup while the database answers.
 */
final class KnownServers {

    private static final Logger log = LoggerFactory.getLogger(KnownServers.class);

    private final McpServerCatalog catalog;
    private final Cache<String, McpServer> lastRead;

    KnownServers(McpServerCatalog catalog, Duration maxAge) {
        this.catalog = catalog;
        this.lastRead = Caffeine.newBuilder().expireAfterWrite(maxAge).build();
    }

    /** The server named {@code name}; empty when it does not exist. */
    Mono<McpServer> find(String name) {
        return catalog.find(name)
                .doOnNext(server -> lastRead.put(name, server))
                .switchIfEmpty(Mono.fromRunnable(() -> lastRead.invalidate(name)))
                .onErrorResume(KnownServers::isUnreachable, error -> {
                    McpServer known = lastRead.getIfPresent(name);
                    if (known == null) {
                        return Mono.error(error);
                    }
                    log.warn("Could not reach the database to read MCP server '{}' ({}); using its definition as"
                            + " last read", name, error.toString());
                    return Mono.just(known);
                });
    }

    private static boolean isUnreachable(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof DataAccessResourceFailureException || cause instanceof R2dbcTransientResourceException
                    || cause instanceof R2dbcNonTransientResourceException) {
                return true;
            }
        }
        return false;
    }
}
