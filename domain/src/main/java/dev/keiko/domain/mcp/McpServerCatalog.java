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
                .bind("name", server.name())
                .bind("registeredBy", registeredBy.value())
                .bind("args", Json.of(json.writeValueAsString(server.args())))
                .bind("env", Json.of(json.writeValueAsString(server.env())))
                .bind("headers", Json.of(json.writeValueAsString(server.headers())))
                .bind("now", Instant.now().atOffset(ZoneOffset.UTC));
        insert = createdBy == null ? insert.bindNull("createdBy", UUID.class) : insert.bind("createdBy", createdBy);
        McpServerPolicy policy = server.policy();
        insert = policy.allowedTools() == null ? insert.bindNull("allowedTools", Json.class)
                : insert.bind("allowedTools", Json.of(json.writeValueAsString(policy.allowedTools())));
        insert = policy.allowedRoles() == null ? insert.bindNull("allowedRoles", Json.class)
                : insert.bind("allowedRoles", Json.of(json.writeValueAsString(
                        policy.allowedRoles().stream().map(Role::value).toList())));
        insert = server.transport() == null ? insert.bindNull("transport", String.class)
                : insert.bind("transport", server.transport().value());
        insert = server.command() == null ? insert.bindNull("command", String.class)
                : insert.bind("command", server.command());
        insert = server.url() == null ? insert.bindNull("url", String.class) : insert.bind("url", server.url());
        return insert.map(this::server).one();
    }

    /** The role of whoever registered the server; empty for configured and unknown servers. */
    public Mono<Role> registrantRole(String name) {
        return db.sql("SELECT registered_by_role FROM mcp_servers WHERE name = :name").bind("name", name)
                .map(row -> Role.of(row.get("registered_by_role", String.class))).one();
    }

    /** Removes a registered server; false when there was none of that name. */
    public Mono<Boolean> delete(String name) {
        return db.sql("DELETE FROM mcp_servers WHERE name = :name").bind("name", name)
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
