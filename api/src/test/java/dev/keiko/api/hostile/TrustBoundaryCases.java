package dev.keiko.api.hostile;

import static dev.keiko.api.hostile.HostileCase.invalid;
import static dev.keiko.api.hostile.HostileCase.refused;
import static dev.keiko.api.hostile.HostileRequest.delete;
import static dev.keiko.api.hostile.HostileRequest.get;
import static dev.keiko.api.hostile.HostileRequest.method;
import static dev.keiko.api.hostile.HostileRequest.post;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.stream.Stream;

/**
 * The refusals of the trust boundary: MCP servers that would reach inside, headers for metadata services,
 * another role's server, tools outside a server's allow-list, priorities a role may not ask for, and cursors
 * outside the database's range.
 */
final class TrustBoundaryCases {

    private static final String SERVERS = "/api/v1/mcp/servers";
    private static final String TASKS = "/api/v1/tasks";

    private TrustBoundaryCases() {
    }

    static Stream<HostileCase> cases() {
        return Stream.of(insideUrls(), unreadableInsideUrls(), metadataHeaders(), anotherRolesServer(), toolPolicy(), priorities(),
                cursors())
                .flatMap(cases -> cases);
    }

    private static HostileRequest register(String url) {
        return post(SERVERS).as(Caller.ADMIN).json("{\"name\":\"hostile-inside\",\"url\":\"" + url + "\"}");
    }

    private static Stream<HostileCase> insideUrls() {
        return Stream.of(
                "http://169.254.169.254/latest/meta-data/", "http://169.254.170.2/v2/credentials",
                "http://100.100.100.200/latest/meta-data", "http://[fd00:ec2::254]/latest/meta-data/",
                "http://metadata.google.internal/computeMetadata/v1/", "http://metadata/computeMetadata/v1/",
                "http://127.0.0.1:5432/", "http://localhost:8080/mcp", "http://[::1]/mcp", "http://0.0.0.0/mcp",
                "http://10.0.0.1/mcp", "http://172.16.0.1/mcp", "http://192.168.1.1/mcp", "http://100.64.0.1/mcp",
                "http://[fe80::1]/mcp", "http://[fc00::1]/mcp", "http://[::ffff:169.254.169.254]/mcp",
                "http://[::ffff:127.0.0.1]/mcp", "http://2130706433/mcp")
                .map(url -> refused(422, "register: a server inside at " + url, register(url)));
    }

    /** Addresses that {@code java.net.URI} cannot even read a host from: refused as malformed or as inside. */
    private static Stream<HostileCase> unreadableInsideUrls() {
        return Stream.of("http://0x7f.0.0.1/mcp", "http://127.1/mcp")
                .map(url -> invalid("register: a server at " + url, register(url)));
    }

    private static Stream<HostileCase> metadataHeaders() {
        return Stream.of("Metadata-Flavor", "metadata-flavor", "Metadata", "X-aws-ec2-metadata-token",
                        "X-AWS-EC2-METADATA-TOKEN-TTL-SECONDS", "X-Google-Metadata-Request")
                .map(header -> refused(422, "register: header " + header, post(SERVERS).as(Caller.ADMIN)
                        .json("{\"name\":\"hostile-headers\",\"url\":\"https://1.1.1.1/mcp\",\"headers\":{\""
                                + header + "\":\"Google\"}}")));
    }

    private static Stream<HostileCase> anotherRolesServer() {
        return Stream.of(
                refused(403, "mcp: an operator deletes an admin's server",
                        delete(SERVERS + "/{server}").as(Caller.OPERATOR)),
                refused(403, "mcp: an operator replaces an admin's server", method("PUT", SERVERS + "/{server}")
                        .as(Caller.OPERATOR).json("{\"name\":\"{server}\",\"url\":\"https://1.0.0.1/mcp\"}")));
    }

    private static HostileRequest submit(Caller caller, String parameters) {
        return post(TASKS).as(caller).json("{\"type\":\"" + (parameters.contains("goal") ? "agent" : "tool")
                + "\",\"parameters\":" + parameters + "}");
    }

    private static Stream<HostileCase> toolPolicy() {
        return Stream.of(
                refused(403, "submit: a user's tool task on a server for admins and operators",
                        submit(Caller.USER, "{\"server\":\"{restricted}\",\"tool\":\"echo\",\"arguments\":{}}")),
                refused(403, "submit: a user's agent on a server for admins and operators",
                        submit(Caller.USER, "{\"goal\":\"g\",\"tools\":[\"{restricted}\"],\"maxSteps\":2}")),
                refused(422, "submit: a tool outside the server's allow-list",
                        submit(Caller.ADMIN, "{\"server\":\"{restricted}\",\"tool\":\"get-env\",\"arguments\":{}}")),
                refused(422, "submit: a URL-fetching tool outside the server's allow-list",
                        submit(Caller.OPERATOR, "{\"server\":\"{restricted}\",\"tool\":\"gzip-file-as-resource\","
                                + "\"arguments\":{\"data\":\"http://169.254.169.254/\"}}")));
    }

    /** A task that would start, at this priority. */
    private static String atPriority(String priority) {
        return "{\"priority\":\"" + priority + "\"," + Bodies.TASK_THAT_WOULD_START.substring(1);
    }

    /** Slots and queues are served strictly by priority: high and critical need {@code tasks:prioritize}. */
    private static Stream<HostileCase> priorities() {
        return Stream.of(
                refused(403, "submit: a user's task at priority high", post(TASKS).as(Caller.USER)
                        .json(atPriority("high"))),
                refused(403, "submit: a user's task at priority critical", post(TASKS).as(Caller.USER)
                        .json(atPriority("critical"))),
                refused(403, "submit: a user's task at priority critical with an Idempotency-Key",
                        post(TASKS).as(Caller.OTHER_USER).header("Idempotency-Key", "hostile-critical")
                                .json(atPriority("critical"))),
                refused(403, "submit: a viewer's task at priority critical", post(TASKS).as(Caller.VIEWER)
                        .json(atPriority("critical"))),
                refused(403, "route: a user's critical task by capabilities", post(TASKS).as(Caller.USER)
                        .json("{\"priority\":\"critical\",\"requiredCapabilities\":[\"hostile-urgent\"],"
                                + "\"parameters\":{\"server\":\"{server}\",\"tool\":\"echo\"}}")));
    }

    private static Stream<HostileCase> cursors() {
        return Stream.of("+999999-01-01T00:00:00Z", "-999999-01-01T00:00:00Z", "1969-12-31T23:59:59Z",
                        "10000-01-01T00:00:00Z")
                .map(instant -> refused(400, "list: cursor at " + instant, get(TASKS + "?cursor="
                        + Base64.getUrlEncoder().withoutPadding().encodeToString((instant
                                + "|00000000-0000-0000-0000-000000000000").getBytes(StandardCharsets.UTF_8)))
                        .as(Caller.USER)));
    }
}
