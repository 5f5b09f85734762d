package dev.keiko.domain.payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import io.temporal.payload.context.WorkflowSerializationContext;
import java.util.List;
import org.junit.jupiter.api.Test;

class EncryptingPayloadCodecTest {

    private static final String SECRET_TEXT = "the launch code is 0000-distinctive";

    private final String oldKey = TestKeys.entry("old");
    private final String newKey = TestKeys.entry("new");

    private static Payload plain(String text) {
        return Payload.newBuilder()
                .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
                .putMetadata("note", ByteString.copyFromUtf8("metadata is protected too"))
                .setData(ByteString.copyFromUtf8("\"" + text + "\""))
                .build();
    }

    private static PayloadCodec inWorkflow(EncryptingPayloadCodec codec, String workflowId) {
        return codec.withContext(new WorkflowSerializationContext("default", workflowId));
    }

    @Test
    void aPayloadIsEncryptedWithItsMetadataAndDecryptsToTheOriginal() {
        PayloadCodec codec = inWorkflow(TestKeys.codec(newKey), "task-1");
        Payload original = plain(SECRET_TEXT);

        Payload encrypted = codec.encode(List.of(original)).getFirst();

        assertThat(encrypted.toByteString().toStringUtf8()).doesNotContain(SECRET_TEXT)
                .doesNotContain("metadata is protected too");
        assertThat(encrypted.getMetadataOrThrow("encoding").toStringUtf8()).isEqualTo("binary/encrypted");
        assertThat(encrypted.getMetadataOrThrow(EncryptingPayloadCodec.KEY_ID).toStringUtf8()).isEqualTo("new");
        assertThat(EncryptingPayloadCodec.boundWorkflowId(encrypted)).isEqualTo("task-1");
        assertThat(codec.decode(List.of(encrypted))).containsExactly(original);
        // A fresh nonce each time: the same value never gives the same ciphertext.
        assertThat(codec.encode(List.of(original)).getFirst().getData()).isNotEqualTo(encrypted.getData());
    }

    @Test
    void afterRotationTheOldKeyStillReadsAndTheNewKeyWrites() {
        Payload byOldKey = inWorkflow(TestKeys.codec(oldKey), "task-2").encode(List.of(plain("before"))).getFirst();
        PayloadCodec rotated = inWorkflow(TestKeys.codec(newKey, oldKey), "task-2");

        assertThat(rotated.decode(List.of(byOldKey))).containsExactly(plain("before"));
        Payload byNewKey = rotated.encode(List.of(plain("after"))).getFirst();
        assertThat(byNewKey.getMetadataOrThrow(EncryptingPayloadCodec.KEY_ID).toStringUtf8()).isEqualTo("new");
        assertThat(rotated.decode(List.of(byNewKey))).containsExactly(plain("after"));
    }

    @Test
    void aPayloadOfAKeyNoLongerConfiguredFailsNamingTheKeyIdOnlyAndCanBeRetriedElsewhere() {
        Payload byOldKey = inWorkflow(TestKeys.codec(oldKey), "task-3").encode(List.of(plain("x"))).getFirst();
        PayloadCodec withoutOld = inWorkflow(TestKeys.codec(newKey), "task-3");

        // Not a PayloadCodecException, which fails the task for good: a worker that has the key may go on.
        assertThatThrownBy(() -> withoutOld.decode(List.of(byOldKey)))
                .isInstanceOf(PayloadKeyMissingException.class)
                .isNotInstanceOf(PayloadCodecException.class)
                .hasMessageContaining("'old'")
                .hasMessageContaining("KEIKO_PAYLOADS_ENCRYPTION_KEYS")
                .hasMessageNotContaining(oldKey.substring(4))
                .hasMessageNotContaining(newKey.substring(4));
    }

    @Test
    void alteredCiphertextIsRefused() {
        PayloadCodec codec = inWorkflow(TestKeys.codec(newKey), "task-4");
        Payload encrypted = codec.encode(List.of(plain("x"))).getFirst();
        byte[] data = encrypted.getData().toByteArray();
        data[data.length / 2] ^= 1;
        Payload altered = encrypted.toBuilder().setData(ByteString.copyFrom(data)).build();
        Payload truncated = encrypted.toBuilder().setData(encrypted.getData().substring(0, 10)).build();

        assertThatThrownBy(() -> codec.decode(List.of(altered))).isInstanceOf(PayloadCodecException.class)
                .hasMessageContaining("altered");
        assertThatThrownBy(() -> codec.decode(List.of(truncated))).isInstanceOf(PayloadCodecException.class);
    }

    @Test
    void aPayloadMovedToAnotherWorkflowIsRefused() {
        EncryptingPayloadCodec keys = TestKeys.codec(newKey);
        Payload encrypted = inWorkflow(keys, "task-owner").encode(List.of(plain(SECRET_TEXT))).getFirst();
        Payload relabelled = encrypted.toBuilder()
                .putMetadata(EncryptingPayloadCodec.WORKFLOW_ID, ByteString.copyFromUtf8("task-thief")).build();
        Payload unbound = encrypted.toBuilder().removeMetadata(EncryptingPayloadCodec.WORKFLOW_ID).build();

        // Decoded in another workflow's history, as that workflow's worker would.
        assertThatThrownBy(() -> inWorkflow(keys, "task-thief").decode(List.of(encrypted)))
                .isInstanceOf(PayloadCodecException.class).hasMessageContaining("task-owner");
        // Relabelled to pass that check, or stripped of its workflow: the cipher notices.
        assertThatThrownBy(() -> inWorkflow(keys, "task-thief").decode(List.of(relabelled)))
                .isInstanceOf(PayloadCodecException.class).hasMessageContaining("altered");
        assertThatThrownBy(() -> keys.decode(List.of(unbound)))
                .isInstanceOf(PayloadCodecException.class).hasMessageContaining("altered");
        // Without a context (the codec endpoint) the payload's own binding is checked.
        assertThat(keys.decode(List.of(encrypted))).containsExactly(plain(SECRET_TEXT));
    }

    @Test
    void aPayloadWrittenBeforeEncryptionDecodesUnchanged() {
        Payload unencrypted = plain("recorded before payloads were encrypted");
        Payload foreign = unencrypted.toBuilder()
                .putMetadata("encoding", ByteString.copyFromUtf8("binary/encrypted")).build();

        assertThat(inWorkflow(TestKeys.codec(newKey), "task-5").decode(List.of(unencrypted, foreign)))
                .containsExactly(unencrypted, foreign);
    }

    @Test
    void withEncryptionOffPayloadsAreWrittenInTheClearAndEncryptedOnesStillRead() {
        Payload encrypted = inWorkflow(TestKeys.codec(newKey), "task-7").encode(List.of(plain("x"))).getFirst();
        PayloadCodec readingOnly = new EncryptingPayloadCodec(new PayloadEncryptionProperties(List.of(newKey), false))
                .withContext(new WorkflowSerializationContext("default", "task-7"));

        assertThat(readingOnly.encode(List.of(plain("y")))).containsExactly(plain("y"));
        assertThat(readingOnly.decode(List.of(encrypted))).containsExactly(plain("x"));
    }

    @Test
    void anEncryptedPayloadIsNotEncryptedTwice() {
        PayloadCodec codec = inWorkflow(TestKeys.codec(newKey), "task-6");
        Payload encrypted = codec.encode(List.of(plain("x"))).getFirst();

        assertThat(codec.encode(List.of(encrypted))).containsExactly(encrypted);
    }

    @Test
    void startUpRefusesMissingOrInvalidKeysWithoutShowingThem() {
        String shortKey = "short:" + java.util.Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> new PayloadEncryptionProperties(null))
                .hasMessageContaining("KEIKO_PAYLOADS_ENCRYPTION_KEYS");
        assertThatThrownBy(() -> new PayloadEncryptionProperties(List.of(" ")))
                .hasMessageContaining("No payload encryption key");
        assertThatThrownBy(() -> new PayloadEncryptionProperties(List.of(shortKey)))
                .hasMessageContaining("'short'").hasMessageContaining("16 bytes")
                .hasMessageNotContaining(shortKey.substring(6));
        assertThatThrownBy(() -> new PayloadEncryptionProperties(List.of("k:not base64!")))
                .hasMessageContaining("'k'").hasMessageContaining("base64").hasMessageNotContaining("not base64!");
        assertThatThrownBy(() -> new PayloadEncryptionProperties(List.of(newKey, newKey)))
                .hasMessageContaining("'new'").hasMessageContaining("twice");
        assertThatThrownBy(() -> new PayloadEncryptionProperties(List.of(newKey.substring(4))))
                .hasMessageContaining("id:base64");
        assertThat(new PayloadEncryptionProperties(List.of(newKey, oldKey)).toString())
                .contains("new", "old").doesNotContain(newKey.substring(4)).doesNotContain(oldKey.substring(4));
    }
}
