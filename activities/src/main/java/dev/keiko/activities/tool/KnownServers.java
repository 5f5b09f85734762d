package dev.keiko.activities.tool;

import dev.keiko.domain.mcp.McpServer;
import dev.keiko.domain.mcp.McpServerCatalog;
import io.r2dbc.spi.R2dbcException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import reactor.core.publisher.Mono;

/**
 * Looks MCP servers up in the catalog, and keeps the definition this worker last read of each so that a call can go
 * on while PostgreSQL cannot answer: without it, a tool call's five attempts ran out within 15 s of an outage and
 * failed its task. Only what the database answered is kept (no more entries than registered servers), a server
 * found missing is forgotten, and the catalog is read again on every lookup while the database answers.
 */
final class KnownServers {

    private static final Logger log = LoggerFactory.getLogger(KnownServers.class);

    private final McpServerCatalog catalog;
    private final Map<String, McpServer> lastRead = new ConcurrentHashMap<>();

    KnownServers(McpServerCatalog catalog) {
        this.catalog = catalog;
    }

    /** The server named {@code name}; empty when it does not exist. */
    Mono<McpServer> find(String name) {
        return catalog.find(name)
                .doOnNext(server -> lastRead.put(name, server))
                .switchIfEmpty(Mono.fromRunnable(() -> lastRead.remove(name)))
                .onErrorResume(KnownServers::isDatabaseFailure, error -> {
                    McpServer known = lastRead.get(name);
                    if (known == null) {
                        return Mono.error(error);
                    }
                    log.warn("Could not read MCP server '{}' from the database ({}); using its definition as"
                            + " last read", name, error.toString());
                    return Mono.just(known);
                });
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
