package dev.keiko.api.hostile;

import static dev.keiko.api.hostile.Bodies.task;
import static dev.keiko.api.hostile.Bodies.toolTask;
import static dev.keiko.api.hostile.HostileCase.invalid;
import static dev.keiko.api.hostile.HostileCase.refused;
import static dev.keiko.api.hostile.HostileRequest.post;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

/** {@code POST /api/v1/tasks}: bad JSON, wrong types, huge and nested values, unknown enums, missing fields. */
final class TaskSubmissionCases {

    private static final String TASKS = "/api/v1/tasks";

    private TaskSubmissionCases() {
    }

    static Stream<HostileCase> cases() {
        return Stream.of(badJson(), wrongTypes(), hugeValues(), unknownValues(), missingFields(), contentTypes(),
                routing()).flatMap(cases -> cases);
    }

    private static HostileRequest submit(String json) {
        return post(TASKS).as(Caller.USER).json(json);
    }

    private static HostileRequest submitBytes(byte[] bytes) {
        return post(TASKS).as(Caller.USER).header("Content-Type", "application/json").bytes(bytes);
    }

    private static Stream<HostileCase> badJson() {
        return Stream.of(
                refused(400, "submit: truncated JSON", submit("{\"type\": \"tool\", \"parameters\": {")),
                refused(400, "submit: trailing garbage", submit(toolTask("") + " garbage")),
                refused(400, "submit: a second document after the first", submit(toolTask("") + " " + toolTask(""))),
                refused(400, "submit: top level is an array", submit("[" + toolTask("") + "]")),
                refused(400, "submit: top level is a string", submit("\"tool\"")),
                refused(400, "submit: top level is a number", submit("42")),
                refused(400, "submit: top level is null", submit("null")),
                refused(400, "submit: empty body", submit("")),
                refused(400, "submit: whitespace only", submit("  \n ")),
                refused(400, "submit: comments", submit("/* hi */ " + toolTask(""))),
                refused(400, "submit: single quotes", submit("{'type': 'tool'}")),
                refused(400, "submit: unquoted names", submit("{type: \"tool\"}")),
                refused(400, "submit: NaN", submit(toolTask("\"timeoutSeconds\": NaN"))),
                refused(400, "submit: invalid UTF-8 in a string", submitBytes(Bodies.withRawBytes(
                        "{\"type\":\"tool\",\"parameters\":{\"server\":\"", new byte[] {(byte) 0xff, (byte) 0xfe},
                        "\",\"tool\":\"echo\"}}"))),
                invalid("submit: overlong UTF-8 encoding of '/' (read as '/')", submitBytes(Bodies.withRawBytes(
                        "{\"type\":\"tool\",\"parameters\":{\"server\":\"..", new byte[] {(byte) 0xc0, (byte) 0xaf},
                        "\",\"tool\":\"echo\"}}"))),
                refused(422, "submit: UTF-16 JSON (detected: unknown server)", submitBytes(toolTask("")
                        .getBytes(StandardCharsets.UTF_16LE))),
                refused(422, "submit: byte order mark before the JSON", submitBytes(Bodies.withRawBytes("",
                        new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, toolTask("")))),
                refused(400, "submit: a control character inside a string", submit(
                        "{\"type\":\"tool\u0001\",\"parameters\":{}}")),
                refused(400, "submit: NUL escaped in the type",
                        submit("{\"type\":\"tool\\u0000\",\"parameters\":{}}")));
    }

    private static Stream<HostileCase> wrongTypes() {
        return Stream.of(
                refused(400, "submit: type is a number", submit("{\"type\": 5}")),
                refused(400, "submit: type is an array", submit("{\"type\": [\"tool\"]}")),
                refused(400, "submit: type is an object", submit("{\"type\": {\"name\": \"tool\"}}")),
                refused(400, "submit: type is null", submit("{\"type\": null, \"parameters\": {}}")),
                refused(400, "submit: parameters is a string", submit(task("tool", "\"server=x\""))),
                refused(400, "submit: parameters is an array", submit(task("tool", "[1, 2]"))),
                refused(400, "submit: parameters is a number", submit(task("tool", "42"))),
                refused(400, "submit: priority is an array", submit(toolTask("\"priority\": [\"high\"]"))),
                refused(400, "submit: priority is an object", submit(toolTask("\"priority\": {}"))),
                refused(400, "submit: timeoutSeconds is text", submit(toolTask("\"timeoutSeconds\": \"soon\""))),
                refused(400, "submit: timeoutSeconds is a boolean", submit(toolTask("\"timeoutSeconds\": true"))),
                refused(400, "submit: timeoutSeconds is an object", submit(toolTask("\"timeoutSeconds\": {}"))),
                refused(400, "submit: tool server is a number",
                        submit(task("tool", "{\"server\": 5, \"tool\": \"echo\"}"))),
                refused(400, "submit: tool server is an object",
                        submit(task("tool", "{\"server\": {\"$ne\": null}, \"tool\": \"echo\"}"))),
                refused(400, "submit: tool arguments is an array",
                        submit(task("tool", "{\"server\": \"nowhere\", \"tool\": \"echo\", \"arguments\": [1]}"))),
                refused(400, "submit: tool arguments is a string",
                        submit(task("tool", "{\"server\": \"nowhere\", \"tool\": \"echo\", \"arguments\": \"x\"}"))),
                refused(400, "submit: agent maxSteps is text",
                        submit(task("agent", "{\"goal\": \"g\", \"maxSteps\": \"ten\"}"))),
                refused(400, "submit: agent tools is a string",
                        submit(task("agent", "{\"goal\": \"g\", \"tools\": \"all\"}"))),
                refused(400, "submit: agent tools holds an object",
                        submit(task("agent", "{\"goal\": \"g\", \"tools\": [{\"server\": \"x\"}]}"))),
                refused(400, "submit: agent approvalRequired is a string",
                        submit(task("agent", "{\"goal\": \"g\", \"approvalRequired\": \"all\"}"))),
                refused(400, "submit: completion temperature is text",
                        submit(task("completion", "{\"prompt\": \"p\", \"temperature\": \"hot\"}"))),
                refused(400, "submit: completion messages is a string",
                        submit(task("completion", "{\"messages\": \"hi\"}"))),
                refused(400, "submit: completion message without content",
                        submit(task("completion", "{\"messages\": [{\"role\": \"user\", \"content\": 5}]}"))),
                refused(400, "submit: image prompt is an array",
                        submit(task("image", "{\"prompt\": [\"a\"], \"size\": \"1024x1024\"}"))));
    }

    private static Stream<HostileCase> hugeValues() {
        return Stream.of(
                refused(413, "submit: body over the size limit",
                        post(TASKS).as(Caller.USER).header("Content-Type", "application/json")
                                .bytes(Bodies.oversized("type"))),
                refused(400, "submit: a type of 10,000 characters", submit(task(Bodies.longString(10_000), "{}"))),
                refused(400, "submit: timeoutSeconds 1e400", submit(toolTask("\"timeoutSeconds\": 1e400"))),
                refused(400, "submit: timeoutSeconds beyond a long",
                        submit(toolTask("\"timeoutSeconds\": 99999999999999999999999"))),
                refused(400, "submit: timeoutSeconds Long.MAX_VALUE",
                        submit(toolTask("\"timeoutSeconds\": 9223372036854775807"))),
                refused(400, "submit: timeoutSeconds Long.MIN_VALUE",
                        submit(toolTask("\"timeoutSeconds\": -9223372036854775808"))),
                refused(400, "submit: timeoutSeconds zero", submit(toolTask("\"timeoutSeconds\": 0"))),
                refused(400, "submit: a number of 2,000 digits in parameters",
                        submit(task("tool", "{\"server\": \"nowhere\", \"tool\": \"echo\", \"n\": "
                                + "9".repeat(2000) + "}"))),
                refused(400, "submit: a name of 100,000 characters in parameters",
                        submit(task("tool", "{\"server\": \"nowhere\", \"tool\": \"echo\", \""
                                + Bodies.longString(100_000) + "\": 1}"))),
                refused(400, "submit: 10,000 nested arrays in parameters",
                        submit(task("tool", "{\"server\": \"nowhere\", \"tool\": \"echo\", \"arguments\": {\"a\": "
                                + Bodies.nestedArrays(10_000) + "}}"))),
                refused(400, "submit: 10,000 nested objects as parameters",
                        submit(task("tool", Bodies.nestedObjects(10_000)))),
                refused(422, "submit: 400 nested arrays in tool arguments (parseable, unknown server)",
                        submit(task("tool", "{\"server\": \"nowhere\", \"tool\": \"echo\", \"arguments\": {\"a\": "
                                + Bodies.nestedArrays(400) + "}}"))),
                refused(422, "submit: 100,000-character argument (unknown server)",
                        submit(task("tool", "{\"server\": \"nowhere\", \"tool\": \"echo\", \"arguments\": {\"a\": \""
                                + Bodies.longString(100_000) + "\"}}"))),
                refused(400, "submit: agent maxSteps 1e10",
                        submit(task("agent", "{\"goal\": \"g\", \"maxSteps\": 1e10}"))),
                refused(400, "submit: agent maxSteps negative",
                        submit(task("agent", "{\"goal\": \"g\", \"maxSteps\": -1}"))),
                refused(400, "submit: Idempotency-Key of 256 characters",
                        submit(toolTask("")).header("Idempotency-Key", "k".repeat(256))),
                refused(400, "submit: empty Idempotency-Key", submit(toolTask("")).header("Idempotency-Key", "")));
    }

    private static Stream<HostileCase> unknownValues() {
        return Stream.of(
                refused(400, "submit: unknown type", submit(task("teleport", "{}"))),
                refused(400, "submit: type in capitals",
                        submit(task("TOOL", "{\"server\": \"nowhere\", \"tool\": \"echo\"}"))),
                refused(400, "submit: type with a trailing space",
                        submit(task("tool ", "{\"server\": \"nowhere\", \"tool\": \"echo\"}"))),
                refused(400, "submit: empty type", submit(task("", "{}"))),
                refused(400, "submit: unknown priority", submit(toolTask("\"priority\": \"urgent\""))),
                refused(400, "submit: priority in capitals", submit(toolTask("\"priority\": \"HIGH\""))),
                refused(400, "submit: empty priority", submit(toolTask("\"priority\": \"\""))),
                refused(400, "submit: priority as its Temporal key", submit(toolTask("\"priority\": \"1\""))),
                refused(400, "submit: agent tool named a/b/c",
                        submit(task("agent", "{\"goal\": \"g\", \"tools\": [\"a/b/c\"]}"))),
                refused(400, "submit: completion message with an unknown role",
                        submit(task("completion", "{\"messages\": [{\"role\": \"god\", \"content\": \"x\"}]}"))),
                refused(400, "submit: completion temperature 7",
                        submit(task("completion", "{\"prompt\": \"p\", \"temperature\": 7}"))),
                refused(422, "submit: tool on an unknown server", submit(toolTask(""))),
                invalid("submit: a server name of 10,000 characters",
                        submit(task("tool", "{\"server\": \"" + Bodies.longString(10_000)
                                + "\", \"tool\": \"echo\"}"))),
                invalid("submit: a server name that is a path",
                        submit(task("tool", "{\"server\": \"../../etc/passwd\", \"tool\": \"echo\"}"))),
                invalid("submit: a server name with a newline",
                        submit(task("tool", "{\"server\": \"a\\nb\", \"tool\": \"echo\"}"))),
                invalid("submit: an agent tool of 10,000 characters",
                        submit(task("agent", "{\"goal\": \"g\", \"tools\": [\"" + Bodies.longString(10_000) + "\"]}"))),
                invalid("submit: a completion deployment of 600 characters",
                        submit(task("completion", "{\"prompt\": \"p\", \"deployment\": \""
                                + Bodies.longString(600) + "\"}"))),
                invalid("submit: a completion provider that does not exist",
                        submit(task("completion", "{\"prompt\": \"p\", \"provider\": \"skynet\"}"))),
                refused(422, "submit: agent naming an unknown server, with no provider",
                        submit(task("agent", "{\"goal\": \"g\", \"tools\": [\"nowhere\"]}"))),
                refused(422, "submit: completion with an unconfigured provider",
                        submit(task("completion", "{\"prompt\": \"p\", \"provider\": \"openai\"}"))),
                refused(403, "submit: a viewer submits",
                        post(TASKS).as(Caller.VIEWER).json(Bodies.TASK_THAT_WOULD_START)));
    }

    private static Stream<HostileCase> missingFields() {
        return Stream.of(
                refused(400, "submit: empty object", submit("{}")),
                refused(400, "submit: no type",
                        submit("{\"parameters\": {\"server\": \"{server}\", \"tool\": \"echo\"}}")),
                refused(400, "submit: tool without server", submit(task("tool", "{\"tool\": \"echo\"}"))),
                refused(400, "submit: tool without tool", submit(task("tool", "{\"server\": \"{server}\"}"))),
                refused(400, "submit: tool without parameters", submit("{\"type\": \"tool\"}")),
                refused(400, "submit: agent without goal", submit(task("agent", "{\"tools\": []}"))),
                refused(400, "submit: completion without prompt or messages", submit(task("completion", "{}"))),
                refused(400, "submit: image without prompt", submit(task("image", "{\"size\": \"1024x1024\"}"))));
    }

    /** A get-sum tool task with these routing members instead of a type. */
    private static String routed(String routing) {
        return "{" + routing + ",\"parameters\":{\"server\":\"{server}\",\"tool\":\"echo\"}}";
    }

    private static Stream<HostileCase> routing() {
        return Stream.of(
                refused(400, "route: agentId is not a UUID", submit(routed("\"agentId\":\"not-a-uuid\""))),
                refused(400, "route: agentId is a number", submit(routed("\"agentId\":42"))),
                refused(400, "route: agentId is an object", submit(routed("\"agentId\":{\"$ne\":null}"))),
                refused(400, "route: agentId with SQL", submit(routed("\"agentId\":\"' OR '1'='1\""))),
                refused(400, "route: agent name with a path", submit(routed("\"agent\":\"../../etc\""))),
                refused(400, "route: agent name with SQL", submit(routed("\"agent\":\"x' OR '1'='1\""))),
                refused(400, "route: agent name a LIKE wildcard", submit(routed("\"agent\":\"%\""))),
                refused(400, "route: agent name of 65 characters",
                        submit(routed("\"agent\":\"" + "a".repeat(65) + "\""))),
                refused(400, "route: agent name with NUL", submit(routed("\"agent\":\"a\\u0000b\""))),
                refused(400, "route: agent name is an array", submit(routed("\"agent\":[\"a\"]"))),
                refused(400, "route: capabilities is a string", submit(routed("\"requiredCapabilities\":\"all\""))),
                refused(400, "route: capabilities empty", submit(routed("\"requiredCapabilities\":[]"))),
                refused(400, "route: a null capability", submit(routed("\"requiredCapabilities\":[null]"))),
                refused(400, "route: a capability that closes the JSON array",
                        submit(routed("\"requiredCapabilities\":[\"a\\\"]\"]"))),
                refused(400, "route: a capability with spaces", submit(routed("\"requiredCapabilities\":[\"rm -rf\"]"))),
                refused(400, "route: 17 capabilities",
                        submit(routed("\"requiredCapabilities\":[" + "\"c\",".repeat(16) + "\"c\"]"))),
                refused(400, "route: 10,000 nested arrays as capabilities",
                        submit(routed("\"requiredCapabilities\":" + Bodies.nestedArrays(10_000)))),
                refused(400, "route: agentId and agent", submit(routed("\"agentId\":"
                        + "\"00000000-0000-4000-8000-000000000000\",\"agent\":\"a\""))),
                refused(400, "route: agent and capabilities",
                        submit(routed("\"agent\":\"a\",\"requiredCapabilities\":[\"c\"]"))),
                refused(422, "route: an unknown agentId",
                        submit(routed("\"agentId\":\"00000000-0000-4000-8000-000000000000\""))),
                refused(422, "route: an unknown agent name", submit(routed("\"agent\":\"nobody-is-named-this\""))),
                refused(422, "route: capabilities no agent offers",
                        submit(routed("\"requiredCapabilities\":[\"hostile-no-agent-offers-this\"]"))),
                refused(422, "route: capabilities for a type no agent runs", submit(routed(
                        "\"type\":\"image\",\"requiredCapabilities\":[\"hostile-no-agent-offers-this\"]"))));
    }

    private static Stream<HostileCase> contentTypes() {
        return Stream.of(
                refused(415, "submit: text/plain", post(TASKS).as(Caller.USER).header("Content-Type", "text/plain")
                        .text(Bodies.TASK_THAT_WOULD_START)),
                refused(415, "submit: application/xml",
                        post(TASKS).as(Caller.USER).header("Content-Type", "application/xml")
                        .text("<task><type>tool</type></task>")),
                refused(415, "submit: a form", post(TASKS).as(Caller.USER)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .text("type=tool&parameters=x")),
                refused(415, "submit: multipart", post(TASKS).as(Caller.USER)
                        .header("Content-Type", "multipart/form-data; boundary=b")
                        .bytes("--b\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\ntool\r\n--b--\r\n"
                                .getBytes(StandardCharsets.UTF_8))),
                refused(415, "submit: application/octet-stream", post(TASKS).as(Caller.USER)
                        .header("Content-Type", "application/octet-stream").text(Bodies.TASK_THAT_WOULD_START)),
                refused(415, "submit: a charset that does not exist", post(TASKS).as(Caller.USER)
                        .header("Content-Type", "application/json;charset=no-such-charset")
                        .text(Bodies.TASK_THAT_WOULD_START)),
                refused(415, "submit: a content type that does not parse", post(TASKS).as(Caller.USER)
                        .header("Content-Type", "json???")
                        .text(Bodies.TASK_THAT_WOULD_START)));
    }
}
