package dev.keiko.api.hostile;

import static dev.keiko.api.hostile.HostileCase.refused;
import static dev.keiko.api.hostile.HostileRequest.get;
import static dev.keiko.api.hostile.HostileRequest.patch;
import static dev.keiko.api.hostile.HostileRequest.post;

import java.util.stream.Stream;

/** {@code /api/v1/users}: everyone but admins turned away, and admins' requests that do not fit. */
final class UserCases {

    private static final String USERS = "/api/v1/users";
    private static final String UNKNOWN = "00000000-0000-4000-8000-000000000000";

    private UserCases() {
    }

    static Stream<HostileCase> cases() {
        return Stream.of(notAdmins(), creating(), reading(), changing()).flatMap(cases -> cases);
    }

    private static Stream<HostileCase> notAdmins() {
        return Stream.of(
                refused(403, "users: an operator creates an admin",
                        post(USERS).as(Caller.OPERATOR).json(Bodies.NEW_USER)),
                refused(403, "users: a user creates an admin", post(USERS).as(Caller.USER).json(Bodies.NEW_USER)),
                refused(403, "users: a viewer creates an admin", post(USERS).as(Caller.VIEWER).json(Bodies.NEW_USER)),
                refused(403, "users: an operator lists users", get(USERS).as(Caller.OPERATOR)),
                refused(403, "users: a user lists users, with ?role=admin", get(USERS + "?role=admin").as(Caller.USER)),
                refused(403, "users: a user reads the admin", get(USERS + "/{admin}").as(Caller.USER)),
                refused(403, "users: a viewer reads another user", get(USERS + "/{user}").as(Caller.VIEWER)),
                refused(403, "users: an operator makes itself admin", patch(USERS + "/{operator}").as(Caller.OPERATOR)
                        .json("{\"role\":\"admin\"}")),
                refused(403, "users: a user makes itself admin", patch(USERS + "/{user}").as(Caller.USER)
                        .json("{\"role\":\"admin\"}")),
                refused(403, "users: a user lifts its own budget", patch(USERS + "/{user}").as(Caller.USER)
                        .json("{\"dailyTokenBudget\":null}")),
                refused(403, "users: an operator deactivates the admin", patch(USERS + "/{admin}").as(Caller.OPERATOR)
                        .json("{\"active\":false}")),
                refused(403, "users: /me/ with a trailing slash is not /me", get(USERS + "/me/").as(Caller.USER)),
                refused(400, "users: /me/ and an encoded ..", get(USERS + "/me/%2E%2E").as(Caller.USER)));
    }

    private static HostileRequest create(String json) {
        return post(USERS).as(Caller.ADMIN).json(json);
    }

    private static String newUser(String username, String password, String role, String extra) {
        return "{\"username\":" + username + ",\"password\":" + password + ",\"role\":" + role
                + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    private static Stream<HostileCase> creating() {
        String name = "\"hostile-user\"";
        String password = "\"long-enough-password\"";
        return Stream.of(
                refused(400, "create user: unknown role", create(newUser(name, password, "\"root\"", ""))),
                refused(400, "create user: role in capitals", create(newUser(name, password, "\"ADMIN\"", ""))),
                refused(400, "create user: role with a trailing space",
                        create(newUser(name, password, "\"admin \"", ""))),
                refused(400, "create user: 10,000 nested arrays as full name",
                        create(newUser(name, password, "\"user\"", "\"fullName\":" + Bodies.nestedArrays(10_000)))),
                refused(413, "create user: chunked body over the size limit", post(USERS).as(Caller.ADMIN)
                        .header("Content-Type", "application/json").bytes(Bodies.oversized("fullName")).chunked()),
                refused(400, "create user: empty role", create(newUser(name, password, "\"\"", ""))),
                refused(400, "create user: role is an array", create(newUser(name, password, "[\"admin\"]", ""))),
                refused(400, "create user: role is an object",
                        create(newUser(name, password, "{\"name\":\"admin\"}", ""))),
                refused(400, "create user: no username", create("{\"password\":" + password + ",\"role\":\"user\"}")),
                refused(400, "create user: no password", create("{\"username\":" + name + ",\"role\":\"user\"}")),
                refused(400, "create user: no role",
                        create("{\"username\":" + name + ",\"password\":" + password + "}")),
                refused(400, "create user: empty object", create("{}")),
                refused(400, "create user: username is an object",
                        create(newUser("{\"$ne\":null}", password, "\"user\"", ""))),
                refused(400, "create user: password is an array", create(newUser(name, "[\"x\"]", "\"user\"", ""))),
                refused(400, "create user: username of 65 characters",
                        create(newUser("\"" + "u".repeat(65) + "\"", password, "\"user\"", ""))),
                refused(400, "create user: username of 100,000 characters",
                        create(newUser("\"" + "u".repeat(100_000) + "\"", password, "\"user\"", ""))),
                refused(400, "create user: username with a path",
                        create(newUser("\"../etc/passwd\"", password, "\"user\"", ""))),
                refused(400, "create user: username with a space",
                        create(newUser("\"ad min\"", password, "\"user\"", ""))),
                refused(400, "create user: username with NUL",
                        create(newUser("\"adm\\u0000in\"", password, "\"user\"", ""))),
                refused(400, "create user: username with markup",
                        create(newUser("\"<script>\"", password, "\"user\"", ""))),
                refused(400, "create user: username of 2 characters",
                        create(newUser("\"ab\"", password, "\"user\"", ""))),
                refused(400, "create user: password of 7 characters",
                        create(newUser(name, "\"short-7\"", "\"user\"", ""))),
                refused(400, "create user: password of 73 characters",
                        create(newUser(name, "\"" + "p".repeat(73) + "\"", "\"user\"", ""))),
                refused(400, "create user: password of 40 characters and 80 bytes",
                        create(newUser(name, "\"" + "é".repeat(40) + "\"", "\"user\"", ""))),
                refused(400, "create user: email that is no email",
                        create(newUser(name, password, "\"user\"", "\"email\":\"not-an-email\""))),
                refused(400, "create user: unknown time zone",
                        create(newUser(name, password, "\"user\"", "\"timezone\":\"Mars/Olympus\""))),
                refused(400, "create user: time zone of 65 characters",
                        create(newUser(name, password, "\"user\"", "\"timezone\":\"" + "Z".repeat(65) + "\""))),
                refused(400, "create user: full name of 201 characters",
                        create(newUser(name, password, "\"user\"", "\"fullName\":\"" + "f".repeat(201) + "\""))),
                refused(409, "create user: the name admin is taken",
                        create(newUser("\"admin\"", password, "\"admin\"", ""))),
                refused(400, "create user: truncated JSON", create("{\"username\":\"x\",")),
                refused(400, "create user: body is an array", create("[" + Bodies.NEW_USER + "]")),
                refused(413, "create user: body over the size limit", post(USERS).as(Caller.ADMIN)
                        .header("Content-Type", "application/json").bytes(Bodies.oversized("fullName"))),
                refused(415, "create user: text/plain",
                        post(USERS).as(Caller.ADMIN).header("Content-Type", "text/plain")
                        .text(Bodies.NEW_USER)),
                refused(415, "create user: a form", post(USERS).as(Caller.ADMIN)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .text("username=x&password=long-enough-password&role=admin")));
    }

    private static Stream<HostileCase> reading() {
        return Stream.of(
                refused(404, "get user: an id that is no user", get(USERS + "/" + UNKNOWN).as(Caller.ADMIN)),
                refused(400, "get user: not a UUID", get(USERS + "/admin").as(Caller.ADMIN)),
                refused(400, "get user: an id of 3,000 characters",
                        get(USERS + "/" + "1".repeat(3000)).as(Caller.ADMIN)),
                refused(400, "get user: an id with an encoded NUL", get(USERS + "/%00").as(Caller.ADMIN)),
                refused(405, "me: with POST", post(USERS + "/me").as(Caller.USER).json("{\"role\":\"admin\"}")),
                refused(400, "me: PATCH /users/me, me is no user id",
                        patch(USERS + "/me").as(Caller.USER).json("{\"role\":\"admin\"}")));
    }

    private static HostileRequest change(String id, String json) {
        return patch(USERS + "/" + id).as(Caller.ADMIN).json(json);
    }

    private static Stream<HostileCase> changing() {
        return Stream.of(
                refused(409, "change user: an admin demotes itself", change("{admin}", "{\"role\":\"viewer\"}")),
                refused(409, "change user: an admin deactivates itself", change("{admin}", "{\"active\":false}")),
                refused(400, "change user: unknown role", change("{user}", "{\"role\":\"god\"}")),
                refused(400, "change user: role is a number", change("{user}", "{\"role\":1}")),
                refused(400, "change user: active is text", change("{user}", "{\"active\":\"maybe\"}")),
                refused(400, "change user: active is an object", change("{user}", "{\"active\":{}}")),
                refused(400, "change user: negative budget", change("{user}", "{\"dailyTokenBudget\":-5}")),
                refused(400, "change user: zero budget", change("{user}", "{\"dailyTokenBudget\":0}")),
                refused(400, "change user: budget is text", change("{user}", "{\"dailyTokenBudget\":\"lots\"}")),
                refused(400, "change user: budget beyond a long",
                        change("{user}", "{\"dailyTokenBudget\":9223372036854775808}")),
                refused(400, "change user: budget 1e30", change("{user}", "{\"dailyTokenBudget\":1e30}")),
                refused(400, "change user: nothing to change", change("{user}", "{}")),
                refused(400, "change user: only unknown fields",
                        change("{user}", "{\"passwd\":\"new-password\",\"isAdmin\":true}")),
                refused(400, "change user: body is an array", change("{user}", "[{\"role\":\"admin\"}]")),
                refused(400, "change user: truncated JSON", change("{user}", "{\"role\":")),
                refused(404, "change user: an id that is no user", change(UNKNOWN, "{\"active\":false}")),
                refused(400, "change user: not a UUID", change("me", "{\"active\":false}")),
                refused(413, "change user: body over the size limit", patch(USERS + "/{user}").as(Caller.ADMIN)
                        .header("Content-Type", "application/json").bytes(Bodies.oversized("role"))),
                refused(415, "change user: text/plain",
                        patch(USERS + "/{user}").as(Caller.ADMIN).header("Content-Type", "text/plain")
                        .text("{\"role\":\"admin\"}")),
                refused(405, "users: PUT on a user", HostileRequest.method("PUT", USERS + "/{user}").as(Caller.ADMIN)
                        .json("{\"role\":\"admin\"}")),
                refused(405, "users: DELETE on a user", HostileRequest.delete(USERS + "/{user}").as(Caller.ADMIN)));
    }
}
