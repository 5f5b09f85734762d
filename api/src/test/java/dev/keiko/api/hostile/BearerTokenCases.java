package dev.keiko.api.hostile;

import static dev.keiko.api.hostile.HostileCase.refused;
import static dev.keiko.api.hostile.HostileRequest.delete;
import static dev.keiko.api.hostile.HostileRequest.get;
import static dev.keiko.api.hostile.HostileRequest.patch;
import static dev.keiko.api.hostile.HostileRequest.post;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Requests without a token on every endpoint, and bad or forged tokens on endpoints that would start a
 * task, show a user, make a user admin or delete a server: all answer 401.
 */
final class BearerTokenCases {

    private BearerTokenCases() {
    }

    /** An endpoint, as a fresh request each time it is asked for. */
    private record Endpoint(String name, Supplier<HostileRequest> request) {
    }

    private record BadToken(String name, Function<HostileFixture, String> authorization) {
    }

    private static final List<Endpoint> EVERY_ENDPOINT = List.of(
            new Endpoint("submit a task", () -> post("/api/v1/tasks").json(Bodies.TASK_THAT_WOULD_START)),
            new Endpoint("get a task", () -> get("/api/v1/tasks/{userTask}")),
            new Endpoint("list tasks", () -> get("/api/v1/tasks")),
            new Endpoint("cancel a task", () -> post("/api/v1/tasks/{userTask}/cancel")),
            new Endpoint("follow a task's events", () -> get("/api/v1/tasks/{userTask}/events")),
            new Endpoint("decide an approval", () -> post("/api/v1/tasks/{userTask}/approvals").json(Bodies.APPROVAL)),
            new Endpoint("create a user", () -> post("/api/v1/users").json(Bodies.NEW_USER)),
            new Endpoint("list users", () -> get("/api/v1/users")),
            new Endpoint("get a user", () -> get("/api/v1/users/{user}")),
            new Endpoint("change a user", () -> patch("/api/v1/users/{user}").json("{\"role\":\"admin\"}")),
            new Endpoint("get me", () -> get("/api/v1/users/me")),
            new Endpoint("register an MCP server", () -> post("/api/v1/mcp/servers").json(Bodies.NEW_SERVER)),
            new Endpoint("list MCP servers", () -> get("/api/v1/mcp/servers")),
            new Endpoint("get an MCP server", () -> get("/api/v1/mcp/servers/{server}")),
            new Endpoint("delete an MCP server", () -> delete("/api/v1/mcp/servers/{server}")),
            new Endpoint("list an MCP server's tools", () -> get("/api/v1/mcp/servers/{server}/tools")));

    private static final List<Endpoint> GUARDED = List.of(EVERY_ENDPOINT.get(0), EVERY_ENDPOINT.get(10),
            EVERY_ENDPOINT.get(9), EVERY_ENDPOINT.get(14));

    private static final List<BadToken> BAD_TOKENS = List.of(
            new BadToken("scheme without a token", fixture -> "Bearer"),
            new BadToken("an empty token", fixture -> "Bearer "),
            new BadToken("Basic credentials", fixture -> "Basic YWRtaW46YWRtaW4tcGFzc3dvcmQtZm9yLXRlc3Rz"),
            new BadToken("a token that is no JWT", fixture -> "Bearer not-a-jwt"),
            new BadToken("three empty-ish parts", fixture -> "Bearer a.b.c"),
            new BadToken("characters a token cannot hold", fixture -> "Bearer <script>alert(1)</script>"),
            new BadToken("a token of 6,000 characters", fixture -> "Bearer " + "A".repeat(6000)),
            new BadToken("claims that are not JSON", fixture -> "Bearer " + ForgedTokens.encode("{\"alg\":\"HS256\"}")
                    + "." + ForgedTokens.encode("not json") + ".c2ln"),
            new BadToken("alg none for the admin", fixture -> "Bearer " + ForgedTokens.unsigned(
                    ForgedTokens.validFor(fixture.id(Caller.ADMIN).toString(), "admin"))),
            new BadToken("the admin's claims signed with another key", fixture -> "Bearer "
                    + ForgedTokens.signedByAttacker("{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
                            ForgedTokens.validFor(fixture.id(Caller.ADMIN).toString(), "admin"))),
            new BadToken("another key, embedded as jwk in the header", fixture -> "Bearer "
                    + ForgedTokens.signedByAttacker("{\"alg\":\"HS256\",\"jwk\":{\"kty\":\"oct\",\"k\":\""
                            + ForgedTokens.encode(ForgedTokens.ATTACKER_SECRET) + "\"}}",
                            ForgedTokens.validFor(fixture.id(Caller.ADMIN).toString(), "admin"))),
            new BadToken("a kid that is a path", fixture -> "Bearer " + ForgedTokens.signedByAttacker(
                    "{\"alg\":\"HS256\",\"kid\":\"../../../../dev/null\"}",
                    ForgedTokens.validFor(fixture.id(Caller.ADMIN).toString(), "admin"))),
            new BadToken("the API's key with HS384", fixture -> "Bearer " + fixture.forged().signedByApi(
                    "{\"alg\":\"HS384\",\"typ\":\"JWT\"}",
                    ForgedTokens.validFor(fixture.id(Caller.USER).toString(), "user"),
                    "HmacSHA384")),
            new BadToken("an expired token", fixture -> "Bearer " + fixture.forged().signedByApi(ForgedTokens.claims(
                    fixture.id(Caller.USER).toString(), "user", Instant.now().minusSeconds(600)))),
            new BadToken("a token without exp", fixture -> "Bearer " + fixture.forged().signedByApi(
                    "{\"sub\":\"" + fixture.id(Caller.USER) + "\",\"username\":\"u\",\"role\":\"user\"}")),
            new BadToken("a token not valid before next hour", fixture -> "Bearer " + fixture.forged().signedByApi(
                    ForgedTokens.validFor(fixture.id(Caller.USER).toString(), "user").replace("}",
                            ",\"nbf\":" + Instant.now().plusSeconds(3600).getEpochSecond() + "}"))),
            new BadToken("a subject that is no user id", fixture -> "Bearer " + fixture.forged().signedByApi(
                    ForgedTokens.validFor("admin", "admin"))),
            new BadToken("a deleted user's id", fixture -> "Bearer " + fixture.forged().signedByApi(
                    ForgedTokens.validFor(UUID.randomUUID().toString(), "admin"))),
            new BadToken("a user's id with a forged admin role", fixture -> "Bearer " + fixture.forged().signedByApi(
                    ForgedTokens.validFor(fixture.id(Caller.USER).toString(), "admin"))),
            new BadToken("the admin's id with an unknown role", fixture -> "Bearer " + fixture.forged().signedByApi(
                    ForgedTokens.validFor(fixture.id(Caller.ADMIN).toString(), "superadmin"))),
            new BadToken("a user's real token with its role claim changed", fixture -> "Bearer "
                    + ForgedTokens.withClaimsReplaced(fixture.token(Caller.USER),
                            ForgedTokens.validFor(fixture.id(Caller.USER).toString(), "admin"))),
            new BadToken("a user's real token with a character added",
                    fixture -> "Bearer " + fixture.token(Caller.USER) + "x"),
            new BadToken("a deactivated user's token", fixture -> "Bearer " + fixture.token(Caller.DEACTIVATED)),
            new BadToken("a demoted operator's token", fixture -> "Bearer " + fixture.token(Caller.DEMOTED)));

    static Stream<HostileCase> cases() {
        Stream<HostileCase> noToken = EVERY_ENDPOINT.stream()
                .map(endpoint -> refused(401, endpoint.name() + ": no token", endpoint.request().get()));
        Stream<HostileCase> badTokens = BAD_TOKENS.stream().flatMap(token -> GUARDED.stream()
                .map(endpoint -> refused(401, endpoint.name() + ": " + token.name(),
                        endpoint.request().get().authorization(token.authorization()))));
        return Stream.concat(noToken, badTokens);
    }
}
