package dev.keiko.activities.mcp;

import dev.keiko.domain.mcp.McpProperties;
import dev.keiko.domain.mcp.McpServer;
import dev.keiko.domain.mcp.McpTransport;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One initialized MCP client per server name, opened on first use and shared by every call. A
 * client whose transport breaks, or whose server definition changed, is closed and the next call
 * opens a new one.
 */
@Component
public class McpClientPool implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(McpClientPool.class);
    private static final McpSchema.Implementation CLIENT_INFO =
            McpSchema.Implementation.builder("keiko", "0.1.0").build();

    // What Reactor's cache() means by forever.
    private static final Duration FOREVER = Duration.ofMillis(Long.MAX_VALUE);

    private final McpClientProperties properties;
    private final McpTransports transports;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public McpClientPool(McpClientProperties properties, McpProperties servers) {
        this.properties = properties;
        this.transports = new McpTransports(McpJsonDefaults.getMapper(), servers);
    }

    public Mono<McpConnection> connection(McpServer server) {
        return Mono.defer(() -> slot(server).connection)
                .flatMap(connection -> connection.isAlive() ? Mono.just(connection)
                        : Mono.defer(() -> {
                            discard(connection);
                            return slot(server).connection;
                        }));
    }

    /** Closes the connection unless it was already replaced. */
    public void discard(McpConnection connection) {
        slots.computeIfPresent(connection.server().name(), (name, slot) -> {
            if (slot.opened != connection) {
                return slot;
            }
            log.info("Discarding the client of MCP server '{}'", name);
            connection.close().subscribe();
            return null;
        });
    }

    @Override
    @PreDestroy
    public void close() {
        closed = true;
        List<McpConnection> open = slots.values().stream()
                .map(slot -> slot.opened).filter(connection -> connection != null).toList();
        slots.clear();
        Flux.fromIterable(open).flatMap(McpConnection::close).then().block(Duration.ofSeconds(10));
    }

    private Slot slot(McpServer server) {
        return slots.compute(server.name(), (name, slot) -> {
            if (slot != null && slot.server.equals(server)) {
                return slot;
            }
            if (slot != null && slot.opened != null) {
                slot.opened.close().subscribe();
            }
            return new Slot(server);
        });
    }

    private Mono<McpConnection> open(McpServer server) {
        List<McpTransport> candidates = McpTransports.candidates(server);
        Mono<McpConnection> opening = open(server, candidates.getFirst());
        for (McpTransport fallback : candidates.subList(1, candidates.size())) {
            opening = opening.onErrorResume(first -> open(server, fallback).onErrorMap(second -> {
                second.addSuppressed(first);
                return second;
            }));
        }
        return opening;
    }

    private Mono<McpConnection> open(McpServer server, McpTransport kind) {
        return Mono.defer(() -> {
            SupervisedTransport transport = new SupervisedTransport(server.name(), transports.create(server, kind));
            ProgressRouter progress = new ProgressRouter();
            McpAsyncClient client = McpClient.async(transport)
                    .clientInfo(CLIENT_INFO)
                    .requestTimeout(properties.requestTimeout())
                    .initializationTimeout(properties.initializationTimeout())
                    .progressConsumer(progress::deliver)
                    .build();
            return Mono.firstWithSignal(client.initialize(), transport.<McpSchema.InitializeResult>failure())
                    .doOnSuccess(result -> log.info("Connected to MCP server '{}' over {}", server.name(),
                            kind.value()))
                    .doOnError(error -> client.close())
                    .doOnCancel(client::close)
                    .map(result -> new McpConnection(server, client, result.capabilities(), transport, progress,
                            this::discard));
        });
    }

    /** The connection of one server definition; a failed opening is not kept, so the next call tries again. */
    private final class Slot {

        private final McpServer server;
        private final Mono<McpConnection> connection;
        private volatile McpConnection opened;

        Slot(McpServer server) {
            this.server = server;
            this.connection = open(server)
                    .doOnNext(connection -> {
                        opened = connection;
                        // A slot replaced (or a pool closed) while it was opening would otherwise leak its
                        // connection, and a stdio server's process with it.
                        if (closed || slots.get(server.name()) != this) {
                            connection.close().subscribe();
                        }
                    })
                    .cache(connection -> FOREVER, error -> Duration.ZERO, () -> Duration.ZERO);
        }
    }
}
