package dev.keiko.api.hostile;

import static dev.keiko.api.hostile.HostileCase.refused;
import static dev.keiko.api.hostile.HostileRequest.get;
import static dev.keiko.api.hostile.HostileRequest.method;

import java.util.stream.Stream;

/** Paths no endpoint serves, paths that try to climb out of one, and methods no endpoint takes. */
final class RoutingCases {

    private RoutingCases() {
    }

    static Stream<HostileCase> cases() {
        return Stream.of(
                refused(401, "route: the root without a token", get("/")),
                refused(404, "route: an unknown path", get("/api/v1/nowhere").as(Caller.USER)),
                refused(404, "route: another API version", get("/api/v2/tasks").as(Caller.USER)),
                refused(404, "route: an actuator endpoint that is not exposed", get("/actuator/env").as(Caller.ADMIN)),
                refused(400, "route: .. out of tasks into users", get("/api/v1/tasks/../users").as(Caller.USER)),
                refused(400, "route: encoded .. out of tasks into users",
                        get("/api/v1/tasks/%2e%2e/users").as(Caller.USER)),
                refused(400, "route: encoded slashes", get("/api/v1/tasks%2F..%2Fusers").as(Caller.USER)),
                refused(400, "route: a double slash", get("/api/v1//users").as(Caller.USER)),
                refused(400, "route: an encoded backslash", get("/api/v1/tasks%5C..%5Cusers").as(Caller.USER)),
                refused(400, "route: a path parameter", get("/api/v1/users;role=admin").as(Caller.USER)),
                refused(400, "route: an encoded NUL", get("/api/v1/tasks%00").as(Caller.USER)),
                refused(400, "route: .. to the token endpoint", method("POST", "/api/v1/users/../auth/token")
                        .json("{\"username\":\"admin\",\"password\":\"x\"}")),
                refused(405, "route: PUT on tasks",
                        method("PUT", "/api/v1/tasks").as(Caller.USER).json(Bodies.toolTask(""))),
                refused(405, "route: DELETE on tasks", method("DELETE", "/api/v1/tasks").as(Caller.ADMIN)),
                refused(405, "route: DELETE on a task", method("DELETE", "/api/v1/tasks/{userTask}").as(Caller.USER)),
                refused(405, "route: PATCH on a task", method("PATCH", "/api/v1/tasks/{userTask}").as(Caller.USER)
                        .json("{\"status\":\"completed\"}")),
                refused(405, "route: POST on a task", method("POST", "/api/v1/tasks/{userTask}").as(Caller.USER)
                        .json("{\"status\":\"completed\"}")),
                refused(404, "route: a path of 3,500 characters", get("/api/v1/" + "x".repeat(3500)).as(Caller.USER)),
                refused(414, "route: a path of 10,000 characters",
                        get("/api/v1/" + "x".repeat(10_000)).as(Caller.USER)),
                refused(431, "route: a token of 20,000 characters", get("/api/v1/users/me")
                        .authorization(fixture -> "Bearer " + "A".repeat(20_000))),
                refused(405, "route: POST to health", method("POST", "/actuator/health").json("{}")),
                refused(400, "route: .. out of health", get("/actuator/health/../env")),
                refused(404, "route: a heap dump", get("/actuator/heapdump").as(Caller.ADMIN)),
                refused(400, "route: TRACE", method("TRACE", "/api/v1/tasks").as(Caller.USER)),
                refused(406, "route: a task as XML", get("/api/v1/tasks/{userTask}").as(Caller.USER)
                        .header("Accept", "application/xml")),
                refused(406, "route: the task list as HTML",
                        get("/api/v1/tasks").as(Caller.USER).header("Accept", "text/html")));
    }
}
