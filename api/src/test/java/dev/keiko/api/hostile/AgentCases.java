package dev.keiko.api.hostile;

import static dev.keiko.api.hostile.HostileCase.invalid;
import static dev.keiko.api.hostile.HostileCase.refused;
import static dev.keiko.api.hostile.HostileRequest.delete;
import static dev.keiko.api.hostile.HostileRequest.get;
import static dev.keiko.api.hostile.HostileRequest.patch;
import static dev.keiko.api.hostile.HostileRequest.post;

import java.util.stream.Stream;

/**
 * {@code /api/v1/agents}: callers without a token or the permission, agents that do not fit, unknown ids.
 * None of them may store an agent (the suite checks that its users created none).
 */
final class AgentCases {

    private static final String AGENTS = "/api/v1/agents";
    private static final String UNKNOWN = AGENTS + "/00000000-0000-4000-8000-000000000000";
    private static final String AGENT = "{\"name\":\"hostile-agent\",\"type\":\"tool\",\"tools\":[\"{server}\"]";

    private AgentCases() {
    }

    static Stream<HostileCase> cases() {
        return Stream.of(callers(), shapes(), limits(), toolsAndModels(), lookups()).flatMap(cases -> cases);
    }

    /** A tool agent on the fixture's open server, with {@code extra} members added. */
    private static String agent(String extra) {
        return AGENT + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    private static HostileRequest create(String json) {
        return post(AGENTS).as(Caller.OPERATOR).json(json);
    }

    private static Stream<HostileCase> callers() {
        return Stream.of(
                refused(401, "agents: create without a token", post(AGENTS).json(agent(""))),
                refused(401, "agents: list without a token", get(AGENTS)),
                refused(401, "agents: read without a token", get(UNKNOWN)),
                refused(401, "agents: delete without a token", delete(UNKNOWN)),
                refused(401, "agents: a demoted operator's token creates one",
                        post(AGENTS).as(Caller.DEMOTED).json(agent(""))),
                refused(403, "agents: a user creates one", post(AGENTS).as(Caller.USER).json(agent(""))),
                refused(403, "agents: a viewer creates one", post(AGENTS).as(Caller.VIEWER).json(agent(""))),
                refused(403, "agents: a viewer changes one", patch(UNKNOWN).as(Caller.VIEWER)
                        .json("{\"maxConcurrentTasks\":1000}")),
                refused(403, "agents: a user activates one", post(UNKNOWN + "/activate").as(Caller.USER)),
                refused(403, "agents: a viewer deactivates one", post(UNKNOWN + "/deactivate").as(Caller.VIEWER)),
                refused(403, "agents: a user deletes one", delete(UNKNOWN).as(Caller.USER)),
                refused(403, "agents: an operator reads the audit trail", get(UNKNOWN + "/events").as(Caller.OPERATOR)),
                refused(403, "agents: a viewer reads the audit trail", get(UNKNOWN + "/events").as(Caller.VIEWER)));
    }

    private static Stream<HostileCase> shapes() {
        return Stream.of(
                refused(400, "agent: malformed JSON", create("{\"name\":")),
                refused(400, "agent: empty object", create("{}")),
                refused(400, "agent: no type", create("{\"name\":\"hostile-agent\",\"tools\":[\"{server}\"]}")),
                refused(400, "agent: unknown type", create(agent("").replace("\"tool\",", "\"robot\","))),
                refused(400, "agent: type in capitals", create(agent("").replace("\"tool\",", "\"TOOL\","))),
                refused(400, "agent: name with a path", create(agent("").replace("hostile-agent", "../../etc"))),
                refused(400, "agent: name of 65 characters",
                        create(agent("").replace("hostile-agent", "a".repeat(65)))),
                refused(400, "agent: name with NUL", create(agent("").replace("hostile-agent", "a\\u0000b"))),
                refused(400, "agent: name is an object", create(agent("").replace("\"hostile-agent\"", "{\"$ne\":1}"))),
                refused(400, "agent: capabilities is a string", create(agent("\"capabilities\":\"all\""))),
                refused(400, "agent: a capability with spaces", create(agent("\"capabilities\":[\"rm -rf\"]"))),
                refused(400, "agent: a null capability", create(agent("\"capabilities\":[null]"))),
                refused(400, "agent: 51 capabilities",
                        create(agent("\"capabilities\":[" + "\"c\",".repeat(50) + "\"c\"]"))),
                refused(400, "agent: 10,000 nested arrays as capabilities",
                        create(agent("\"capabilities\":" + Bodies.nestedArrays(10_000)))),
                refused(413, "agent: chunked body over the size limit", post(AGENTS).as(Caller.OPERATOR)
                        .header("Content-Type", "application/json").bytes(Bodies.oversized("systemPrompt"))
                        .chunked()),
                refused(400, "agent: a tool entry with two slashes", create(agent("").replace("\"{server}\"",
                        "\"{server}/a/b\""))),
                refused(400, "agent: a tool entry that is only a slash", create(agent("").replace("\"{server}\"",
                        "\"/\""))),
                refused(400, "agent: a tool of 129 characters", create(agent("").replace("\"{server}\"",
                        "\"{server}/" + "t".repeat(129) + "\""))),
                refused(400, "agent: a null tool", create(agent("").replace("\"{server}\"", "null"))),
                refused(400, "agent: a tool agent without tools", create(agent("").replace("\"{server}\"", ""))),
                refused(400, "agent: a tool agent with a model", create(agent("\"deployment\":\"gpt-4o\""))),
                refused(400, "agent: a tool agent with a system prompt", create(agent("\"systemPrompt\":\"hi\""))),
                refused(400, "agent: approval for a tool it does not have",
                        create(agent("\"approvalRequired\":[\"elsewhere/echo\"]"))),
                refused(400, "agent: unknown provider",
                        create("{\"name\":\"hostile-agent\",\"type\":\"llm\",\"provider\":\"anthropic\"}")),
                refused(400, "agent: deployment with a space",
                        create("{\"name\":\"hostile-agent\",\"type\":\"llm\",\"deployment\":\"gpt 4o\"}")),
                refused(400, "agent: deployment of 129 characters", create("{\"name\":\"hostile-agent\","
                        + "\"type\":\"llm\",\"deployment\":\"" + "d".repeat(129) + "\"}")),
                refused(400, "agent: system prompt of 20,001 characters", create("{\"name\":\"hostile-agent\","
                        + "\"type\":\"llm\",\"systemPrompt\":\"" + "s".repeat(20_001) + "\"}")));
    }

    private static Stream<HostileCase> limits() {
        return Stream.of(
                refused(400, "agent: timeout of 0", create(agent("\"timeoutSeconds\":0"))),
                refused(400, "agent: negative timeout", create(agent("\"timeoutSeconds\":-1"))),
                refused(400, "agent: timeout past the maximum", create(agent("\"timeoutSeconds\":86401"))),
                refused(400, "agent: timeout beyond int", create(agent("\"timeoutSeconds\":99999999999"))),
                refused(400, "agent: timeout followed by junk", create(agent("\"timeoutSeconds\":\"300\"x"))),
                refused(400, "agent: no concurrent tasks", create(agent("\"maxConcurrentTasks\":0"))),
                refused(400, "agent: 1,001 concurrent tasks", create(agent("\"maxConcurrentTasks\":1001"))),
                refused(400, "agent: fractional concurrent tasks", create(agent("\"maxConcurrentTasks\":1.5"))),
                refused(400, "agent: steps 0", create("{\"name\":\"hostile-agent\",\"type\":\"llm\",\"maxSteps\":0}")),
                refused(400, "agent: tokens per task 0",
                        create("{\"name\":\"hostile-agent\",\"type\":\"llm\",\"maxTokensPerTask\":0}")),
                refused(400, "agent: tokens per task past what a task can ask for",
                        create("{\"name\":\"hostile-agent\",\"type\":\"llm\",\"maxTokensPerTask\":2147483648}")),
                refused(400, "agent: retry policy is a string", create(agent("\"retryPolicy\":\"forever\""))),
                refused(400, "agent: retry backoff below 1",
                        create(agent("\"retryPolicy\":{\"backoffCoefficient\":0.5}"))),
                refused(400, "agent: 101 retry attempts", create(agent("\"retryPolicy\":{\"maximumAttempts\":101}"))),
                refused(400, "agent: negative retry attempts",
                        create(agent("\"retryPolicy\":{\"maximumAttempts\":-1}"))),
                refused(400, "agent: retry interval of 0",
                        create(agent("\"retryPolicy\":{\"initialIntervalSeconds\":0}"))),
                refused(400, "agent: retry maximum interval below the first", create(agent(
                        "\"retryPolicy\":{\"initialIntervalSeconds\":60,\"maximumIntervalSeconds\":1}"))),
                refused(400, "agent: an error type with spaces",
                        create(agent("\"retryPolicy\":{\"nonRetryableErrorTypes\":[\"a b\"]}"))));
    }

    private static Stream<HostileCase> toolsAndModels() {
        return Stream.of(
                refused(422, "agent: an unknown server", create(agent("").replace("\"{server}\"",
                        "\"hostile-nowhere\""))),
                refused(422, "agent: a tool outside the allow-list", create(agent("").replace("\"{server}\"",
                        "\"{restricted}/get-env\""))),
                refused(422, "agent: an llm agent with no provider configured",
                        create("{\"name\":\"hostile-agent\",\"type\":\"llm\",\"tools\":[\"{server}\"]}")),
                invalid("agent: an llm agent naming an unconfigured deployment",
                        create("{\"name\":\"hostile-agent\",\"type\":\"llm\",\"deployment\":\"gpt-5\"}")));
    }

    private static Stream<HostileCase> lookups() {
        return Stream.of(
                refused(404, "agent: read an unknown id", get(UNKNOWN).as(Caller.VIEWER)),
                refused(404, "agent: change an unknown id", patch(UNKNOWN).as(Caller.OPERATOR)
                        .json("{\"maxConcurrentTasks\":2}")),
                refused(404, "agent: activate an unknown id", post(UNKNOWN + "/activate").as(Caller.OPERATOR)),
                refused(404, "agent: deactivate an unknown id", post(UNKNOWN + "/deactivate").as(Caller.OPERATOR)),
                refused(404, "agent: delete an unknown id", delete(UNKNOWN).as(Caller.OPERATOR)),
                refused(404, "agent: audit trail of an unknown id", get(UNKNOWN + "/events").as(Caller.ADMIN)),
                refused(400, "agent: an id that is no UUID", get(AGENTS + "/hostile").as(Caller.USER)),
                refused(400, "agent: an id with a path", get(AGENTS + "/%2E%2E%2Fusers").as(Caller.USER)),
                refused(400, "agents: limit 0", get(AGENTS + "?limit=0").as(Caller.USER)),
                refused(400, "agents: limit 101", get(AGENTS + "?limit=101").as(Caller.USER)),
                refused(400, "agents: limit not a number", get(AGENTS + "?limit=ten").as(Caller.USER)),
                refused(400, "agents: a forged cursor", get(AGENTS + "?cursor=AAAA").as(Caller.USER)),
                refused(400, "agents: a cursor in the year 10000", get(AGENTS + "?cursor="
                        + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                                "+10000-01-01T00:00:00Z|00000000-0000-4000-8000-000000000000".getBytes(
                                        java.nio.charset.StandardCharsets.UTF_8))).as(Caller.USER)));
    }
}
