package dev.keiko.domain.payload;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.EncodingKeys;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import io.temporal.workflow.Functions;
import io.temporal.workflow.unsafe.WorkflowUnsafe;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps large payloads out of workflow history (the claim-check pattern): a payload over the
 * threshold is stored in PostgreSQL under the SHA-256 of its bytes, and history holds a small JSON
 * reference that the Temporal Web UI shows as {@code {"offloadedPayload": "<id>", "bytes": n}}. A
 * payload passed on unchanged from step to step is stored once.
 *
 * <p>Workflow threads call the codec too. While they replay, what they encode is only compared with
 * history, never sent, so it is not stored again; decoded payloads are cached, since a replay reads
 * them all again. The database round trips are kept out of the SDK's deadlock detection.
 */
public final class OffloadingPayloadCodec implements PayloadCodec {

    /** Metadata key that marks a reference; its value names the hash. */
    public static final String OFFLOADED = "keiko-offloaded";

    private static final ByteString SHA_256 = ByteString.copyFromUtf8("sha256");
    private static final ByteString JSON = ByteString.copyFromUtf8("json/plain");
    private static final Pattern ID = Pattern.compile("\"offloadedPayload\":\"([0-9a-f]{64})\"");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final PayloadStore store;
    private final long threshold;
    private final DecodedPayloadCache decoded = new DecodedPayloadCache(64L * 1024 * 1024);

    public OffloadingPayloadCodec(PayloadStore store, long thresholdBytes) {
        this.store = store;
        this.threshold = thresholdBytes;
    }

    @Override
    public List<Payload> encode(List<Payload> payloads) {
        return payloads.stream().map(this::encode).toList();
    }

    @Override
    public List<Payload> decode(List<Payload> payloads) {
        return payloads.stream().map(this::decode).toList();
    }

    private Payload encode(Payload payload) {
        if (payload.getSerializedSize() <= threshold || payload.containsMetadata(OFFLOADED)) {
            return payload;
        }
        byte[] bytes = payload.toByteArray();
        String id = sha256(bytes);
        boolean replaying = WorkflowUnsafe.isWorkflowThread() && WorkflowUnsafe.isReplaying();
        if (!replaying) {
            outsideDeadlockDetection(() -> store.save(id, bytes).block(TIMEOUT));
        }
        String reference = "{\"offloadedPayload\":\"" + id + "\",\"bytes\":" + bytes.length + "}";
        return Payload.newBuilder()
                .putMetadata(EncodingKeys.METADATA_ENCODING_KEY, JSON)
                .putMetadata(OFFLOADED, SHA_256)
                .setData(ByteString.copyFromUtf8(reference))
                .build();
    }

    private Payload decode(Payload payload) {
        if (!payload.containsMetadata(OFFLOADED)) {
            return payload;
        }
        Matcher reference = ID.matcher(payload.getData().toString(StandardCharsets.UTF_8));
        if (!reference.find()) {
            throw new PayloadCodecException("Malformed reference to an offloaded payload: "
                    + payload.getData().toString(StandardCharsets.UTF_8));
        }
        String id = reference.group(1);
        Payload cached = decoded.get(id);
        if (cached != null) {
            return cached;
        }
        byte[] bytes = outsideDeadlockDetection(() -> store.load(id).block(TIMEOUT));
        if (bytes == null) {
            throw new PayloadCodecException("Offloaded payload " + id + " is not in PostgreSQL (table payloads);"
                    + " it may have passed keiko.payloads.retention");
        }
        try {
            Payload original = Payload.parseFrom(bytes);
            decoded.put(id, original, bytes.length);
            return original;
        } catch (InvalidProtocolBufferException e) {
            throw new PayloadCodecException("Offloaded payload " + id + " is not a Temporal payload", e);
        }
    }

    private static <T> T outsideDeadlockDetection(Functions.Func<T> call) {
        return WorkflowUnsafe.isWorkflowThread() ? WorkflowUnsafe.deadlockDetectorOff(call) : call.apply();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
