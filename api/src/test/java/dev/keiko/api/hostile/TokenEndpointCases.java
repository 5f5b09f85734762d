package dev.keiko.api.hostile;

import static dev.keiko.api.hostile.HostileCase.overlongPassword;
import static dev.keiko.api.hostile.HostileCase.refused;
import static dev.keiko.api.hostile.HostileCase.wrongCredentials;
import static dev.keiko.api.hostile.HostileRequest.post;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

/** {@code POST /api/v1/auth/token}: bodies that are no credentials, and credentials that are wrong. */
final class TokenEndpointCases {

    private static final String TOKEN = "/api/v1/auth/token";

    private TokenEndpointCases() {
    }

    private static HostileRequest login(String json) {
        return post(TOKEN).json(json);
    }

    static Stream<HostileCase> cases() {
        return Stream.of(
                refused(400, "login: empty object", login("{}")),
                refused(400, "login: no password", login("{\"username\":\"admin\"}")),
                refused(400, "login: no username", login("{\"password\":\"secret-password\"}")),
                refused(400, "login: blank username", login("{\"username\":\" \",\"password\":\"secret-password\"}")),
                refused(400, "login: empty password", login("{\"username\":\"admin\",\"password\":\"\"}")),
                refused(400, "login: username is an array", login("{\"username\":[\"admin\"],\"password\":\"x\"}")),
                refused(400, "login: username is an operator object",
                        login("{\"username\":{\"$gt\":\"\"},\"password\":\"x\"}")),
                refused(400, "login: password is an object",
                        login("{\"username\":\"admin\",\"password\":{\"$ne\":null}}")),
                refused(400, "login: truncated JSON", login("{\"username\":\"admin\",\"password\":")),
                refused(400, "login: body is an array", login("[\"admin\",\"password\"]")),
                refused(400, "login: body is a string", login("\"admin:password\"")),
                refused(400, "login: body is null", login("null")),
                refused(400, "login: empty body", login("")),
                refused(400, "login: username with NUL",
                        login("{\"username\":\"adm\\u0000in\",\"password\":\"secret-password\"}")),
                refused(400, "login: invalid UTF-8", post(TOKEN).header("Content-Type", "application/json")
                        .bytes(Bodies.withRawBytes("{\"username\":\"", new byte[] {(byte) 0xc3, (byte) 0x28},
                                "\",\"password\":\"secret-password\"}"))),
                wrongCredentials("login: wrong password for a real user",
                        login("{\"username\":\"admin\",\"password\":\"guess-1234\"}")),
                wrongCredentials("login: unknown user",
                        login("{\"username\":\"nobody-hostile\",\"password\":\"guess-1234\"}")),
                wrongCredentials("login: username that is SQL",
                        login("{\"username\":\"admin' OR '1'='1\",\"password\":\"' OR '1'='1\"}")),
                refused(400, "login: username of 100,000 characters",
                        login("{\"username\":\"" + "u".repeat(100_000) + "\",\"password\":\"guess-1234\"}")),
                wrongCredentials("login: a lone surrogate in the username",
                        login("{\"username\":\"\\ud800admin\",\"password\":\"guess-1234\"}")),
                wrongCredentials("login: a deactivated user's right password",
                        post(TOKEN).header("Content-Type", "application/json").body(fixture -> ("{\"username\":\""
                                + fixture.user(Caller.DEACTIVATED).username() + "\",\"password\":\""
                                + fixture.user(Caller.DEACTIVATED).password() + "\"}")
                                .getBytes(StandardCharsets.UTF_8))),
                overlongPassword("login: password of 100,000 characters",
                        login("{\"username\":\"admin\",\"password\":\"" + "p".repeat(100_000) + "\"}")),
                overlongPassword("login: unknown user, password of 73 bytes",
                        login("{\"username\":\"nobody-hostile\",\"password\":\"" + "p".repeat(73) + "\"}")),
                refused(413, "login: chunked body over the size limit",
                        post(TOKEN).header("Content-Type", "application/json")
                        .bytes(Bodies.oversized("password")).chunked()),
                refused(413, "login: body over the size limit", post(TOKEN).header("Content-Type", "application/json")
                        .bytes(Bodies.oversized("password"))),
                refused(415, "login: text/plain", post(TOKEN).header("Content-Type", "text/plain")
                        .text("admin:password")),
                refused(415, "login: a form", post(TOKEN).header("Content-Type", "application/x-www-form-urlencoded")
                        .text("username=admin&password=x")),
                refused(401, "login: GET without a token", HostileRequest.get(TOKEN)),
                refused(405, "login: GET with a token", HostileRequest.get(TOKEN).as(Caller.USER)),
                refused(405, "login: DELETE with a token", HostileRequest.delete(TOKEN).as(Caller.ADMIN)));
    }
}
