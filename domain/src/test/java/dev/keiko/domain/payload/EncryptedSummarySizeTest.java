package dev.keiko.domain.payload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.workflows.TemporalLimits;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.payload.context.WorkflowSerializationContext;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A summary is cut so that its payload fits the server's limit on summaries once encrypted: the nonce, the tag,
 * the longest key id and a task's workflow id all travel with it. A summary over the limit is refused by a
 * Temporal server (the test server does not check), which would refuse the task's start or its next step.
 */
class EncryptedSummarySizeTest {

    private static final String LONGEST_KEY_ID = "k".repeat(PayloadEncryptionProperties.MAX_KEY_ID_LENGTH);

    @Test
    void theLongestSummaryOfATaskFitsTheServersLimitOnceEncrypted() {
        EncryptingPayloadCodec codec = new EncryptingPayloadCodec(new PayloadEncryptionProperties(
                List.of(LONGEST_KEY_ID + ":" + Base64.getEncoder().encodeToString(new byte[32]))));
        String workflowId = "task-" + UUID.randomUUID();
        for (String text : List.of("\u00e9".repeat(600), "\"".repeat(600), "x".repeat(600), "\ud83d\ude00".repeat(300))) {
            Payload summary = DefaultDataConverter.STANDARD_INSTANCE.toPayload(TemporalLimits.summary(text)).orElseThrow();
            Payload encrypted = codec.withContext(new WorkflowSerializationContext("default", workflowId))
                    .encode(List.of(summary)).getFirst();

            assertThat(EncryptingPayloadCodec.isEncrypted(encrypted)).isTrue();
            assertThat(encrypted.getSerializedSize()).as(text.substring(0, 1)).isLessThanOrEqualTo(TemporalLimits.SUMMARY_PAYLOAD_BYTES);
        }
    }
}
