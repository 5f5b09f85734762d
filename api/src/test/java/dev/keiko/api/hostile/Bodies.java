package dev.keiko.api.hostile;

import java.nio.charset.StandardCharsets;

/** Bodies the cases share: valid ones that would start or create something, and generated hostile ones. */
final class Bodies {

    /** A tool task on the fixture's registered server: accepted and started if the request got through. */
    static final String TASK_THAT_WOULD_START = "{\"type\":\"tool\",\"parameters\":{\"server\":\"{server}\","
            + "\"tool\":\"echo\",\"arguments\":{\"message\":\"hi\"}}}";
    static final String NEW_USER =
            "{\"username\":\"hostile-new-user\",\"password\":\"long-enough-password\",\"role\":\"admin\"}";
    static final String NEW_SERVER = "{\"name\":\"hostile-new-server\",\"url\":\"https://1.1.1.1/mcp\"}";
    static final String APPROVAL = "{\"toolCallId\":\"call-1\",\"decision\":\"approve\"}";

    /** Over {@code keiko.api.max-request-size} (256 KB). */
    static final int OVERSIZED = 300 * 1024;

    private Bodies() {
    }

    /** A tool task on a server that does not exist, with {@code extra} members after the parameters. */
    static String toolTask(String extra) {
        return "{\"type\":\"tool\",\"parameters\":{\"server\":\"nowhere\",\"tool\":\"echo\"}"
                + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    static String task(String type, String parameters) {
        return "{\"type\":\"" + type + "\",\"parameters\":" + parameters + "}";
    }

    /** A JSON object with one string member padded past the size limit. */
    static byte[] oversized(String field) {
        return ("{\"" + field + "\":\"" + "x".repeat(OVERSIZED) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** {@code depth} nested arrays around {@code 1}. */
    static String nestedArrays(int depth) {
        return "[".repeat(depth) + "1" + "]".repeat(depth);
    }

    /** {@code depth} nested objects, each under the member {@code a}. */
    static String nestedObjects(int depth) {
        return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    }

    static String longString(int length) {
        return "a".repeat(length);
    }

    /** {@code prefix}, then these raw bytes, then {@code suffix}: for bytes that are not UTF-8. */
    static byte[] withRawBytes(String prefix, byte[] raw, String suffix) {
        byte[] head = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] tail = suffix.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + raw.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(raw, 0, all, head.length, raw.length);
        System.arraycopy(tail, 0, all, head.length + raw.length, tail.length);
        return all;
    }
}
