package dev.keiko.domain.mcp;

import dev.keiko.domain.user.Role;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * All MCP servers Keiko knows: those from configuration, which cannot be changed through the API,
 * and those registered through it, stored in PostgreSQL. A name is unique across both.
 */
@Component
public class McpServerCatalog {

    private static final String COLUMNS = "name, transport, command, args, env, url, headers, allowed_tools, allowed_roles";

    private final DatabaseClient db;
    private final JsonMapper json;
    private final Map<String, McpServer> configured;

    public McpServerCatalog(DatabaseClient db, JsonMapper json, McpProperties properties) {
        this.db = db;
        this.json = json;
        this.configured = properties.servers().entrySet().stream()
                .collect(java.util.stream.Collectors.toUnmodifiableMap(
                        Map.Entry::getKey, entry -> entry.getValue().toServer(entry.getKey())));
    }

    public Mono<McpServer> find(String name) {
        McpServer fromConfig = configured.get(name);
        if (fromConfig != null) {
            return Mono.just(fromConfig);
        }
        return db.sql("SELECT " + COLUMNS + " FROM mcp_servers WHERE name = :name")
                .bind("name", name).map(this::server).one();
    }

    public Flux<McpServer> findAll() {
        Flux<McpServer> registered = db.sql("SELECT " + COLUMNS + " FROM mcp_servers").map(this::server).all();
        return Flux.fromIterable(configured.values()).concatWith(registered)
                .sort(Comparator.comparing(McpServer::name));
    }

    public boolean isConfigured(String name) {
        return configured.containsKey(name);
    }

    /** Registers a server on behalf of the system, as an admin would; empty when the name is taken. */
    public Mono<McpServer> register(McpServer server, UUID createdBy) {
        return register(server, createdBy, Role.ADMIN);
    }

    /** Registers a server; empty when the name is taken. */
    public Mono<McpServer> register(McpServer server, UUID createdBy, Role registeredBy) {
        if (configured.containsKey(server.name())) {
            return Mono.empty();
        }
        GenericExecuteSpec insert = db.sql("INSERT INTO mcp_servers (name, transport, command, args, env, url,"
                        + " headers, allowed_tools, allowed_roles, registered_by_role, created_by, created_at)"
                        + " VALUES (:name, :transport, :command, :args, :env, :url, :headers, :allowedTools,"
                        + " :allowedRoles, :registeredBy, :createdBy, :now)"
                        + " ON CONFLICT (name) DO NOTHING RETURNING " + COLUMNS)
                .bind("now", Instant.now().atOffset(ZoneOffset.UTC));
        return bind(insert, server, createdBy, registeredBy).map(this::server).one();
    }

    /**
     * Replaces a registered server's definition, which becomes the replacer's; empty when there is
     * none of that name, or an admin registered it and {@code by} is not an admin.
     */
    public Mono<McpServer> replace(McpServer server, UUID by, Role role) {
        GenericExecuteSpec update = db.sql("UPDATE mcp_servers SET transport = :transport, command = :command,"
                        + " args = :args, env = :env, url = :url, headers = :headers, allowed_tools = :allowedTools,"
                        + " allowed_roles = :allowedRoles, registered_by_role = :registeredBy, created_by = :createdBy"
                        + " WHERE name = :name AND (:byAdmin OR registered_by_role <> 'admin') RETURNING " + COLUMNS)
                .bind("byAdmin", role == Role.ADMIN);
        return bind(update, server, by, role).map(this::server).one();
    }

    /**
     * Gives a registered server that lets tasks call every tool an allow-list, while its command and
     * arguments are still {@code expected}'s; who registered it (user and role) stays as it was. Empty when
     * there is no such registration.
     */
    public Mono<McpServer> limitTools(McpServer expected, List<String> allowedTools) {
        return db.sql("UPDATE mcp_servers SET allowed_tools = :allowedTools WHERE name = :name"
                        + " AND allowed_tools IS NULL AND command = :command AND args = :args RETURNING " + COLUMNS)
                .bind("allowedTools", Json.of(json.writeValueAsString(allowedTools)))
                .bind("name", expected.name())
                .bind("command", expected.command())
                .bind("args", Json.of(json.writeValueAsString(expected.args())))
                .map(this::server).one();
    }

    private GenericExecuteSpec bind(GenericExecuteSpec spec, McpServer server, UUID by, Role role) {
        GenericExecuteSpec bound = spec.bind("name", server.name())
                .bind("registeredBy", role.value())
                .bind("args", Json.of(json.writeValueAsString(server.args())))
                .bind("env", Json.of(json.writeValueAsString(server.env())))
                .bind("headers", Json.of(json.writeValueAsString(server.headers())));
        bound = by == null ? bound.bindNull("createdBy", UUID.class) : bound.bind("createdBy", by);
        McpServerPolicy policy = server.policy();
        bound = policy.allowedTools() == null ? bound.bindNull("allowedTools", Json.class)
                : bound.bind("allowedTools", Json.of(json.writeValueAsString(policy.allowedTools())));
        bound = policy.allowedRoles() == null ? bound.bindNull("allowedRoles", Json.class)
                : bound.bind("allowedRoles", Json.of(json.writeValueAsString(
                        policy.allowedRoles().stream().map(Role::value).toList())));
        bound = server.transport() == null ? bound.bindNull("transport", String.class)
                : bound.bind("transport", server.transport().value());
        bound = server.command() == null ? bound.bindNull("command", String.class)
                : bound.bind("command", server.command());
        return server.url() == null ? bound.bindNull("url", String.class) : bound.bind("url", server.url());
    }

    /** The role of whoever registered the server; empty for configured and unknown servers. */
    public Mono<Role> registrantRole(String name) {
        return db.sql("SELECT registered_by_role FROM mcp_servers WHERE name = :name").bind("name", name)
                .map(row -> Role.of(row.get("registered_by_role", String.class))).one();
    }

    /**
     * Removes a registered server; false when there is none of that name, or an admin registered it
     * and {@code role} is not admin.
     */
    public Mono<Boolean> delete(String name, Role role) {
        return db.sql("DELETE FROM mcp_servers WHERE name = :name AND (:byAdmin OR registered_by_role <> 'admin')")
                .bind("name", name).bind("byAdmin", role == Role.ADMIN)
                .fetch().rowsUpdated().map(rows -> rows > 0);
    }

    private McpServer server(Readable row) {
        String transport = row.get("transport", String.class);
        return new McpServer(
                row.get("name", String.class),
                transport == null ? null : McpTransport.of(transport),
                row.get("command", String.class),
                json.readValue(row.get("args", String.class), new TypeReference<List<String>>() { }),
                json.readValue(row.get("env", String.class), new TypeReference<Map<String, String>>() { }),
                row.get("url", String.class),
                json.readValue(row.get("headers", String.class), new TypeReference<Map<String, String>>() { }),
                McpServer.FROM_API,
                new McpServerPolicy(stringList(row.get("allowed_tools", String.class)),
                        roles(stringList(row.get("allowed_roles", String.class)))));
    }

    private List<String> stringList(String value) {
        return value == null ? null : json.readValue(value, new TypeReference<List<String>>() { });
    }

    private static List<Role> roles(List<String> values) {
        return values == null ? null : values.stream().map(Role::of).toList();
    }
}
