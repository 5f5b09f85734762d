package dev.keiko.api.hostile;

import static dev.keiko.api.hostile.HostileCase.invalid;
import static dev.keiko.api.hostile.HostileCase.refused;
import static dev.keiko.api.hostile.HostileRequest.delete;
import static dev.keiko.api.hostile.HostileRequest.get;
import static dev.keiko.api.hostile.HostileRequest.post;

import java.util.stream.Stream;

/** {@code /api/v1/mcp/servers}: roles that may not manage servers, and registrations that do not fit. */
final class McpServerCases {

    private static final String SERVERS = "/api/v1/mcp/servers";

    private McpServerCases() {
    }

    static Stream<HostileCase> cases() {
        return Stream.of(roles(), registrations(), lookups()).flatMap(cases -> cases);
    }

    private static Stream<HostileCase> roles() {
        return Stream.of(
                refused(403, "mcp: a user registers a server", post(SERVERS).as(Caller.USER).json(Bodies.NEW_SERVER)),
                refused(403, "mcp: a viewer registers a server",
                        post(SERVERS).as(Caller.VIEWER).json(Bodies.NEW_SERVER)),
                refused(403, "mcp: an operator registers a command (stdio)", post(SERVERS).as(Caller.OPERATOR)
                        .json("{\"name\":\"hostile-stdio\",\"command\":\"sh\",\"args\":[\"-c\",\"env\"]}")),
                refused(403, "mcp: an operator registers a command, transport left out",
                        post(SERVERS).as(Caller.OPERATOR)
                        .json("{\"name\":\"hostile-stdio\",\"command\":\"node\",\"url\":\"\"}")),
                refused(403, "mcp: a user lists servers", get(SERVERS).as(Caller.USER)),
                refused(403, "mcp: a viewer reads a server", get(SERVERS + "/{server}").as(Caller.VIEWER)),
                refused(403, "mcp: a user lists a server's tools", get(SERVERS + "/{server}/tools").as(Caller.USER)),
                refused(403, "mcp: a viewer deletes a server", delete(SERVERS + "/{server}").as(Caller.VIEWER)),
                refused(403, "mcp: a user deletes a server", delete(SERVERS + "/{server}").as(Caller.USER)));
    }

    private static HostileRequest register(String json) {
        return post(SERVERS).as(Caller.ADMIN).json(json);
    }

    private static Stream<HostileCase> registrations() {
        return Stream.of(
                refused(400, "register: no name", register("{\"url\":\"https://1.1.1.1/mcp\"}")),
                refused(400, "register: empty name", register("{\"name\":\"\",\"url\":\"https://1.1.1.1/mcp\"}")),
                refused(400, "register: name with a path",
                        register("{\"name\":\"../../etc\",\"url\":\"https://1.1.1.1/mcp\"}")),
                refused(400, "register: name of 65 characters",
                        register("{\"name\":\"" + "n".repeat(65) + "\",\"url\":\"https://1.1.1.1/mcp\"}")),
                refused(400, "register: name of 100,000 characters",
                        register("{\"name\":\"" + "n".repeat(100_000) + "\",\"url\":\"https://1.1.1.1/mcp\"}")),
                refused(400, "register: name in capitals",
                        register("{\"name\":\"EVERYTHING\",\"url\":\"https://1.1.1.1/mcp\"}")),
                refused(400, "register: name with NUL",
                        register("{\"name\":\"a\\u0000b\",\"url\":\"https://1.1.1.1/mcp\"}")),
                refused(400, "register: name is an array",
                        register("{\"name\":[\"a\"],\"url\":\"https://1.1.1.1/mcp\"}")),
                refused(400, "register: unknown transport",
                        register("{\"name\":\"hostile-t\",\"transport\":\"carrier-pigeon\","
                                + "\"url\":\"https://1.1.1.1/mcp\"}")),
                refused(400, "register: transport in capitals",
                        register("{\"name\":\"hostile-t\",\"transport\":\"STDIO\",\"command\":\"node\"}")),
                refused(400, "register: transport is a number",
                        register("{\"name\":\"hostile-t\",\"transport\":5,\"url\":\"https://1.1.1.1/mcp\"}")),
                refused(400, "register: sse without url",
                        register("{\"name\":\"hostile-t\",\"transport\":\"sse\",\"command\":\"node\"}")),
                refused(400, "register: command and url",
                        register("{\"name\":\"hostile-t\",\"command\":\"node\",\"url\":\"https://1.1.1.1/mcp\"}")),
                refused(400, "register: neither command nor url", register("{\"name\":\"hostile-t\"}")),
                refused(400, "register: blank command and url",
                        register("{\"name\":\"hostile-t\",\"command\":\" \",\"url\":\" \"}")),
                refused(400, "register: javascript: URL",
                        register("{\"name\":\"hostile-t\",\"url\":\"javascript:alert(1)\"}")),
                refused(400, "register: file: URL",
                        register("{\"name\":\"hostile-t\",\"url\":\"file:///etc/passwd\"}")),
                invalid("register: gopher: URL to a local Redis",
                        register("{\"name\":\"hostile-t\",\"url\":\"gopher://127.0.0.1:6379/_INFO\"}")),
                refused(400, "register: URL without host",
                        register("{\"name\":\"hostile-t\",\"url\":\"http:///mcp\"}")),
                refused(400, "register: URL with spaces", register("{\"name\":\"hostile-t\",\"url\":\"http://a b/\"}")),
                refused(400, "register: relative URL", register("{\"name\":\"hostile-t\",\"url\":\"/mcp\"}")),
                refused(400, "register: args is a string",
                        register("{\"name\":\"hostile-t\",\"command\":\"node\",\"args\":\"-e 1\"}")),
                refused(400, "register: 10,000 nested arrays as args",
                        register("{\"name\":\"hostile-t\",\"command\":\"node\",\"args\":"
                                + Bodies.nestedArrays(10_000) + "}")),
                refused(400, "register: args holds null",
                        register("{\"name\":\"hostile-t\",\"command\":\"node\",\"args\":[null]}")),
                refused(400, "register: args holds an object",
                        register("{\"name\":\"hostile-t\",\"command\":\"node\",\"args\":[{}]}")),
                refused(400, "register: env is an array",
                        register("{\"name\":\"hostile-t\",\"command\":\"node\",\"env\":[\"A=1\"]}")),
                refused(400, "register: env value null",
                        register("{\"name\":\"hostile-t\",\"command\":\"node\",\"env\":{\"A\":null}}")),
                refused(400, "register: env with a blank name",
                        register("{\"name\":\"hostile-t\",\"command\":\"node\",\"env\":{\" \":\"x\"}}")),
                refused(400, "register: env value is an object",
                        register("{\"name\":\"hostile-t\",\"command\":\"node\",\"env\":{\"A\":{}}}")),
                refused(400, "register: header value is an object",
                        register("{\"name\":\"hostile-t\",\"url\":\"https://1.1.1.1/mcp\",\"headers\":{\"X\":{}}}")),
                refused(400, "register: header value null",
                        register("{\"name\":\"hostile-t\",\"url\":\"https://1.1.1.1/mcp\","
                                + "\"headers\":{\"X\":null}}")),
                refused(409, "register: a name that is taken",
                        register("{\"name\":\"{server}\",\"url\":\"https://1.1.1.1/other\"}")),
                refused(400, "register: truncated JSON", register("{\"name\":\"hostile-t\",")),
                refused(400, "register: body is an array", register("[" + Bodies.NEW_SERVER + "]")),
                refused(400, "register: body is null", register("null")),
                refused(413, "register: body over the size limit", post(SERVERS).as(Caller.ADMIN)
                        .header("Content-Type", "application/json").bytes(Bodies.oversized("command"))),
                refused(415, "register: text/plain", post(SERVERS).as(Caller.ADMIN).header("Content-Type", "text/plain")
                        .text(Bodies.NEW_SERVER)));
    }

    private static Stream<HostileCase> lookups() {
        return Stream.of(
                refused(404, "mcp: an unknown server", get(SERVERS + "/none-such").as(Caller.ADMIN)),
                refused(404, "mcp: a name of 3,000 characters",
                        get(SERVERS + "/" + "n".repeat(3000)).as(Caller.OPERATOR)),
                refused(404, "mcp: a name that is SQL", get(SERVERS + "/x'%20OR%20'1'='1").as(Caller.ADMIN)),
                refused(400, "mcp: a name with an encoded NUL", get(SERVERS + "/a%00b").as(Caller.ADMIN)),
                refused(400, "mcp: a name with an encoded slash", get(SERVERS + "/..%2F..%2Fusers").as(Caller.ADMIN)),
                refused(404, "mcp: tools of an unknown server", get(SERVERS + "/none-such/tools").as(Caller.ADMIN)),
                refused(404, "mcp: delete an unknown server", delete(SERVERS + "/none-such").as(Caller.ADMIN)),
                refused(405, "mcp: delete the collection", delete(SERVERS).as(Caller.ADMIN)),
                refused(400, "mcp: replace a server with a body naming another", HostileRequest.method("PUT",
                        SERVERS + "/{server}").as(Caller.ADMIN).json(Bodies.NEW_SERVER)),
                refused(405, "mcp: PUT to the collection", HostileRequest.method("PUT", SERVERS)
                        .as(Caller.ADMIN).json(Bodies.NEW_SERVER)),
                refused(405, "mcp: POST to tools", post(SERVERS + "/{server}/tools").as(Caller.ADMIN).json("{}")));
    }
}
