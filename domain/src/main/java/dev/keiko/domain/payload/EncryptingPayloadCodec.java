package dev.keiko.domain.payload;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.EncodingKeys;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import io.temporal.payload.context.HasWorkflowSerializationContext;
import io.temporal.payload.context.SerializationContext;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encrypts every payload with AES-256-GCM, so that prompts, tool arguments and results cannot be read
 * from Temporal's database or from a history without Keiko's keys. The whole original payload, its
 * metadata included, is encrypted under a random 96-bit nonce; the encrypted payload's metadata names
 * the key and the workflow the payload belongs to, and that workflow id is authenticated as associated
 * data: a payload moved into another workflow's history fails to decode there.
 *
 * <p>Payloads without the encryption marker decode unchanged, so histories written before payloads
 * were encrypted still replay.
 */
public final class EncryptingPayloadCodec implements PayloadCodec {

    /** The encoding of an encrypted payload, as Temporal's samples name it. */
    public static final String ENCRYPTED_ENCODING = "binary/encrypted";
    /** Metadata key naming the key that encrypted the payload. */
    public static final String KEY_ID = "keiko-encryption-key-id";
    /** Metadata key naming the workflow the payload belongs to, authenticated by the cipher. */
    public static final String WORKFLOW_ID = "keiko-workflow-id";

    private static final ByteString ENCRYPTED = ByteString.copyFromUtf8(ENCRYPTED_ENCODING);
    private static final String CIPHER = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<String> REPORTED_MISSING_KEYS = ConcurrentHashMap.newKeySet();
    private static final Logger log = LoggerFactory.getLogger(EncryptingPayloadCodec.class);

    private final Map<String, SecretKey> keys;
    private final String encryptingKeyId;
    private final boolean encrypt;
    private final String workflowId;

    public EncryptingPayloadCodec(PayloadEncryptionProperties properties) {
        this(properties.secretKeys(), properties.encrypt(), null);
    }

    private EncryptingPayloadCodec(Map<String, SecretKey> keys, boolean encrypt, String workflowId) {
        this.keys = keys;
        this.encryptingKeyId = keys.keySet().iterator().next();
        this.encrypt = encrypt;
        this.workflowId = workflowId;
    }

    /** Binds what this codec encodes to the context's workflow, and checks what it decodes belongs there. */
    @Override
    public PayloadCodec withContext(SerializationContext context) {
        return context instanceof HasWorkflowSerializationContext workflow && workflow.getWorkflowId() != null
                ? new EncryptingPayloadCodec(keys, encrypt, workflow.getWorkflowId())
                : this;
    }

    @Override
    public List<Payload> encode(List<Payload> payloads) {
        return payloads.stream().map(this::encode).toList();
    }

    @Override
    public List<Payload> decode(List<Payload> payloads) {
        return payloads.stream().map(this::decode).toList();
    }

    /** Whether the payload is one this codec encrypted (with any key). */
    public static boolean isEncrypted(Payload payload) {
        return payload.containsMetadata(KEY_ID)
                && ENCRYPTED.equals(payload.getMetadataOrDefault(EncodingKeys.METADATA_ENCODING_KEY, ByteString.EMPTY));
    }

    /** The workflow an encrypted payload is bound to; null when it was encrypted outside any workflow's context. */
    public static String boundWorkflowId(Payload payload) {
        ByteString id = payload.getMetadataOrDefault(WORKFLOW_ID, null);
        return id == null ? null : id.toStringUtf8();
    }

    private Payload encode(Payload payload) {
        if (!encrypt || isEncrypted(payload)) {
            return payload;
        }
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        byte[] sealed = run(Cipher.ENCRYPT_MODE, keys.get(encryptingKeyId), nonce, workflowId, payload.toByteArray(),
                encryptingKeyId);
        Payload.Builder encrypted = Payload.newBuilder()
                .putMetadata(EncodingKeys.METADATA_ENCODING_KEY, ENCRYPTED)
                .putMetadata(KEY_ID, ByteString.copyFromUtf8(encryptingKeyId))
                .setData(ByteString.copyFrom(nonce).concat(ByteString.copyFrom(sealed)));
        if (workflowId != null) {
            encrypted.putMetadata(WORKFLOW_ID, ByteString.copyFromUtf8(workflowId));
        }
        return encrypted.build();
    }

    private Payload decode(Payload payload) {
        if (!isEncrypted(payload)) {
            return payload;
        }
        String keyId = shown(payload.getMetadataOrThrow(KEY_ID).toStringUtf8());
        SecretKey key = keys.get(keyId);
        if (key == null) {
            PayloadKeyMissingException missing = new PayloadKeyMissingException(keyId);
            // Said once per key id: the SDK's own failure logs are off, and a worker lacking a key must be found.
            if (REPORTED_MISSING_KEYS.size() < 100 && REPORTED_MISSING_KEYS.add(keyId)) {
                log.warn(missing.getMessage());
            }
            throw missing;
        }
        String boundTo = boundWorkflowId(payload);
        if (workflowId != null && boundTo != null && !workflowId.equals(boundTo)) {
            throw new PayloadCodecException("A payload of workflow '" + shown(boundTo) + "' was found in workflow '"
                    + workflowId + "': refused");
        }
        byte[] data = payload.getData().toByteArray();
        if (data.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new PayloadCodecException("The encrypted payload is too short to have been encrypted by Keiko");
        }
        byte[] nonce = Arrays.copyOf(data, NONCE_BYTES);
        byte[] sealed = Arrays.copyOfRange(data, NONCE_BYTES, data.length);
        try {
            return Payload.parseFrom(run(Cipher.DECRYPT_MODE, key, nonce, boundTo, sealed, keyId));
        } catch (InvalidProtocolBufferException e) {
            throw new PayloadCodecException("The decrypted payload is not a Temporal payload", e);
        }
    }

    private static byte[] run(int mode, SecretKey key, byte[] nonce, String workflowId, byte[] input, String keyId) {
        try {
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(workflowId));
            return cipher.doFinal(input);
        } catch (AEADBadTagException e) {
            throw new PayloadCodecException("The payload does not decrypt with key '" + keyId + "': it was altered,"
                    + " or its workflow id was changed");
        } catch (GeneralSecurityException e) {
            throw new PayloadCodecException("AES-GCM failed with key '" + keyId + "'", e);
        }
    }

    /** Metadata as messages show it: whoever wrote the payload chose it, so no line breaks and at most 128 characters. */
    private static String shown(String metadata) {
        String printable = metadata.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 128 ? printable.substring(0, 128) + "…" : printable;
    }

    /** A version marker and the workflow id; an unbound payload has none after the marker. */
    private static byte[] associatedData(String workflowId) {
        return ("keiko-payload-v1|" + (workflowId == null ? "" : workflowId)).getBytes(StandardCharsets.UTF_8);
    }
}
