package dev.keiko.api.hostile;

import static dev.keiko.api.hostile.HostileCase.refused;
import static dev.keiko.api.hostile.HostileRequest.get;
import static dev.keiko.api.hostile.HostileRequest.post;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.stream.Stream;

/**
 * Reading, listing, cancelling, following and deciding tasks: other users' tasks, ended tasks, ids that are
 * no task, list parameters out of range, approval bodies that do not fit.
 */
final class TaskAccessCases {

    private static final String UNKNOWN = "00000000-0000-4000-8000-000000000000";

    private TaskAccessCases() {
    }

    static Stream<HostileCase> cases() {
        return Stream.of(reading(), listing(), cancelling(), events(), approvals()).flatMap(cases -> cases);
    }

    private static Stream<HostileCase> reading() {
        return Stream.of(
                refused(404, "get: another user's task", get("/api/v1/tasks/{userTask}").as(Caller.OTHER_USER)),
                refused(404, "get: another user's task, with ?owner= of its owner",
                        get("/api/v1/tasks/{userTask}?owner={user}").as(Caller.OTHER_USER)),
                refused(404, "get: a task id that is no task", get("/api/v1/tasks/" + UNKNOWN).as(Caller.USER)),
                refused(400, "get: not a UUID", get("/api/v1/tasks/not-a-uuid").as(Caller.USER)),
                refused(400, "get: a UUID in braces", get("/api/v1/tasks/%7B" + UNKNOWN + "%7D").as(Caller.USER)),
                refused(400, "get: an id of 3,000 characters",
                        get("/api/v1/tasks/" + "1".repeat(3000)).as(Caller.USER)),
                refused(400, "get: an id with an encoded NUL", get("/api/v1/tasks/%00").as(Caller.USER)),
                refused(400, "get: an id that is SQL", get("/api/v1/tasks/1'%20OR%20'1'='1").as(Caller.USER)),
                refused(404, "get: a trailing slash", get("/api/v1/tasks/{userTask}/").as(Caller.OTHER_USER)),
                refused(404, "get: path in capitals", get("/API/V1/TASKS/{userTask}").as(Caller.USER)));
    }

    private static Stream<HostileCase> listing() {
        return Stream.of(
                refused(400, "list: limit 0", get("/api/v1/tasks?limit=0").as(Caller.USER)),
                refused(400, "list: limit -1", get("/api/v1/tasks?limit=-1").as(Caller.USER)),
                refused(400, "list: limit 101", get("/api/v1/tasks?limit=101").as(Caller.USER)),
                refused(400, "list: limit beyond an int", get("/api/v1/tasks?limit=2147483648").as(Caller.USER)),
                refused(400, "list: limit of 30 digits", get("/api/v1/tasks?limit=" + "9".repeat(30)).as(Caller.USER)),
                refused(400, "list: limit is text", get("/api/v1/tasks?limit=ten").as(Caller.USER)),
                refused(400, "list: limit is a fraction", get("/api/v1/tasks?limit=1.5").as(Caller.USER)),
                refused(400, "list: limit in hex beyond 100", get("/api/v1/tasks?limit=0x7fffffff").as(Caller.USER)),
                refused(400, "list: limit repeated, the first too large",
                        get("/api/v1/tasks?limit=500&limit=1").as(Caller.USER)),
                refused(400, "list: unknown status", get("/api/v1/tasks?status=sleeping").as(Caller.USER)),
                refused(400, "list: status in capitals", get("/api/v1/tasks?status=PENDING").as(Caller.USER)),
                refused(400, "list: status repeated",
                        get("/api/v1/tasks?status=pending&status=bogus").as(Caller.VIEWER)),
                refused(400, "list: status with an encoded NUL",
                        get("/api/v1/tasks?status=pending%00").as(Caller.USER)),
                refused(400, "list: garbage cursor", get("/api/v1/tasks?cursor=garbage").as(Caller.USER)),
                refused(400, "list: cursor that is not base64", get("/api/v1/tasks?cursor=%25%25%25").as(Caller.USER)),
                refused(400, "list: cursor without a separator",
                        get("/api/v1/tasks?cursor=" + cursor("2024-01-01T00:00:00Z")).as(Caller.USER)),
                refused(400, "list: cursor with a bad time",
                        get("/api/v1/tasks?cursor=" + cursor("yesterday|" + UNKNOWN)).as(Caller.USER)),
                refused(400, "list: cursor with a bad id",
                        get("/api/v1/tasks?cursor=" + cursor("2024-01-01T00:00:00Z|x")).as(Caller.USER)),
                refused(400, "list: cursor that is SQL",
                        get("/api/v1/tasks?cursor=" + cursor("'; DROP TABLE tasks; --|x")).as(Caller.USER)),
                refused(400, "list: cursor of 3,000 characters",
                        get("/api/v1/tasks?cursor=" + "A".repeat(3000)).as(Caller.USER)),
                refused(400, "list: an unknown parameter next to a bad limit",
                        get("/api/v1/tasks?owner=all&limit=0").as(Caller.USER)),
                refused(401, "list: the token as a query parameter", get("/api/v1/tasks?access_token=x")));
    }

    private static Stream<HostileCase> cancelling() {
        return Stream.of(
                refused(404, "cancel: another user's task",
                        post("/api/v1/tasks/{userTask}/cancel").as(Caller.OTHER_USER)),
                refused(404, "cancel: another user's task, with ?force=true",
                        post("/api/v1/tasks/{userTask}/cancel?force=true").as(Caller.OTHER_USER)),
                refused(403, "cancel: a viewer cancels a task it can see",
                        post("/api/v1/tasks/{userTask}/cancel").as(Caller.VIEWER)),
                refused(409, "cancel: the owner cancels an ended task",
                        post("/api/v1/tasks/{userTask}/cancel").as(Caller.USER)),
                refused(409, "cancel: an operator cancels an ended task",
                        post("/api/v1/tasks/{userTask}/cancel").as(Caller.OPERATOR)),
                refused(404, "cancel: a task id that is no task",
                        post("/api/v1/tasks/" + UNKNOWN + "/cancel").as(Caller.ADMIN)),
                refused(400, "cancel: not a UUID", post("/api/v1/tasks/all/cancel").as(Caller.ADMIN)),
                refused(400, "cancel: the id *", post("/api/v1/tasks/*/cancel").as(Caller.ADMIN)),
                refused(405, "cancel: with GET", get("/api/v1/tasks/{userTask}/cancel").as(Caller.USER)));
    }

    private static Stream<HostileCase> events() {
        return Stream.of(
                refused(404, "events: another user's task",
                        get("/api/v1/tasks/{userTask}/events").as(Caller.OTHER_USER)),
                refused(404, "events: another user's task, asking for an event stream",
                        get("/api/v1/tasks/{userTask}/events").as(Caller.OTHER_USER)
                                .header("Accept", "text/event-stream")),
                refused(404, "events: a task id that is no task",
                        get("/api/v1/tasks/" + UNKNOWN + "/events").as(Caller.USER)),
                refused(400, "events: not a UUID", get("/api/v1/tasks/not-a-uuid/events").as(Caller.USER)),
                refused(406, "events: asking for JSON instead of an event stream",
                        get("/api/v1/tasks/{userTask}/events").as(Caller.USER).header("Accept", "application/json")),
                refused(405, "events: with POST", post("/api/v1/tasks/{userTask}/events").as(Caller.USER)),
                refused(404, "events: another user's task, resuming after an event",
                        get("/api/v1/tasks/{userTask}/events?after=0").as(Caller.OTHER_USER)
                                .header("Last-Event-ID", "1")),
                refused(400, "events: after is text", get("/api/v1/tasks/{userTask}/events?after=abc").as(Caller.USER)),
                refused(400, "events: after is negative",
                        get("/api/v1/tasks/{userTask}/events?after=-1").as(Caller.USER)),
                refused(400, "events: after is past the largest number",
                        get("/api/v1/tasks/{userTask}/events?after=9223372036854775808").as(Caller.USER)),
                refused(400, "events: Last-Event-ID is text",
                        get("/api/v1/tasks/{userTask}/events").as(Caller.USER).header("Last-Event-ID", "' OR 1=1")),
                refused(400, "events: Last-Event-ID of 4000 digits",
                        get("/api/v1/tasks/{userTask}/events").as(Caller.USER)
                                .header("Last-Event-ID", "7".repeat(4000))),
                refused(400, "events: abandoned is neither include nor exclude",
                        get("/api/v1/tasks/{userTask}/events?abandoned=all").as(Caller.USER)));
    }

    private static Stream<HostileCase> approvals() {
        String path = "/api/v1/tasks/{userTask}/approvals";
        return Stream.of(
                refused(404, "approve: another user's task", post(path).as(Caller.OTHER_USER).json(Bodies.APPROVAL)),
                refused(403, "approve: a viewer decides a task it can see",
                        post(path).as(Caller.VIEWER).json(Bodies.APPROVAL)),
                refused(409, "approve: the owner decides on an ended task",
                        post(path).as(Caller.USER).json(Bodies.APPROVAL)),
                refused(409, "approve: an operator decides on an ended task",
                        post(path).as(Caller.OPERATOR).json(Bodies.APPROVAL)),
                refused(404, "approve: a task id that is no task",
                        post("/api/v1/tasks/" + UNKNOWN + "/approvals").as(Caller.USER).json(Bodies.APPROVAL)),
                refused(400, "approve: not a UUID",
                        post("/api/v1/tasks/x/approvals").as(Caller.USER).json(Bodies.APPROVAL)),
                refused(400, "approve: unknown decision", post(path).as(Caller.USER)
                        .json("{\"toolCallId\":\"call-1\",\"decision\":\"maybe\"}")),
                refused(400, "approve: decision in capitals", post(path).as(Caller.USER)
                        .json("{\"toolCallId\":\"call-1\",\"decision\":\"APPROVE\"}")),
                refused(400, "approve: decision is a boolean", post(path).as(Caller.USER)
                        .json("{\"toolCallId\":\"call-1\",\"decision\":true}")),
                refused(400, "approve: decision is an array", post(path).as(Caller.USER)
                        .json("{\"toolCallId\":\"call-1\",\"decision\":[\"approve\"]}")),
                refused(400, "approve: no decision", post(path).as(Caller.USER).json("{\"toolCallId\":\"call-1\"}")),
                refused(400, "approve: no toolCallId", post(path).as(Caller.USER).json("{\"decision\":\"approve\"}")),
                refused(400, "approve: blank toolCallId", post(path).as(Caller.USER)
                        .json("{\"toolCallId\":\"  \",\"decision\":\"approve\"}")),
                refused(400, "approve: toolCallId of 201 characters", post(path).as(Caller.USER)
                        .json("{\"toolCallId\":\"" + "c".repeat(201) + "\",\"decision\":\"approve\"}")),
                refused(400, "approve: comment of 2,001 characters", post(path).as(Caller.USER)
                        .json("{\"toolCallId\":\"call-1\",\"decision\":\"reject\",\"comment\":\""
                                + "c".repeat(2001) + "\"}")),
                refused(400, "approve: 10,000 nested arrays as comment", post(path).as(Caller.USER)
                        .json("{\"toolCallId\":\"c\",\"decision\":\"reject\",\"comment\":"
                                + Bodies.nestedArrays(10_000) + "}")),
                refused(400, "approve: body is an array", post(path).as(Caller.USER).json("[" + Bodies.APPROVAL + "]")),
                refused(400, "approve: truncated JSON", post(path).as(Caller.USER).json("{\"toolCallId\":\"call-1\",")),
                refused(400, "approve: empty body", post(path).as(Caller.USER).json("")),
                refused(413, "approve: body over the size limit", post(path).as(Caller.USER)
                        .header("Content-Type", "application/json").bytes(Bodies.oversized("comment"))),
                refused(415, "approve: text/plain", post(path).as(Caller.USER).header("Content-Type", "text/plain")
                        .text(Bodies.APPROVAL)),
                refused(405, "approve: with GET", get(path).as(Caller.USER)),
                refused(405, "approve: with PUT",
                        HostileRequest.method("PUT", path).as(Caller.USER).json(Bodies.APPROVAL)));
    }

    private static String cursor(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }
}
