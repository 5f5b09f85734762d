package dev.keiko.api.codec;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.keiko.api.problem.Problems;
import io.temporal.api.common.v1.Payloads;
import java.nio.charset.StandardCharsets;

/** Temporal's codec-server body: {@code Payloads} as protobuf JSON ({@code {"payloads": [{"metadata": ..., "data": ...}]}}). */
final class PayloadsJson {

    /** More than a workflow history event carries; the Web UI and the CLI send one event's payloads at a time. */
    static final int MAX_PAYLOADS = 100;

    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private PayloadsJson() {
    }

    /** The payloads of a body, or a 400 problem that says what is wrong without echoing it. */
    static Payloads parse(byte[] bytes) {
        String body = bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
        if (body.isBlank()) {
            throw Problems.badRequest("The body must be Temporal payloads as JSON: {\"payloads\": [...]}");
        }
        Payloads.Builder payloads = Payloads.newBuilder();
        try {
            PARSER.merge(body, payloads);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw Problems.badRequest("The body is not Temporal payloads as JSON ({\"payloads\": [{\"metadata\":"
                    + " {\"encoding\": base64}, \"data\": base64}]}): " + firstLine(e.getMessage()));
        }
        if (payloads.getPayloadsCount() > MAX_PAYLOADS) {
            throw Problems.badRequest("At most " + MAX_PAYLOADS + " payloads in one request, not "
                    + payloads.getPayloadsCount());
        }
        return payloads.build();
    }

    static byte[] print(Payloads payloads) {
        try {
            return PRINTER.print(payloads).getBytes(StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("Payloads always print as JSON", e);
        }
    }

    /** The parser's reason, cut short: it can quote the input. */
    private static String firstLine(String message) {
        String reason = message == null ? "malformed" : message.lines().findFirst().orElse("malformed");
        return reason.length() > 120 ? reason.substring(0, 120) + "…" : reason;
    }
}
