package dev.keiko.domain.payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keiko.domain.DomainTest;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.util.unit.DataSize;

class OffloadingPayloadCodecTest extends DomainTest {

    private static final int THRESHOLD = 256 * 1024;

    @Autowired
    DataConverter converter;

    @Autowired
    PayloadStore store;

    @Autowired
    DatabaseClient db;

    @Test
    void smallPayloadsStayInline() {
        Payload payload = converter.toPayload(Map.of("text", "short")).orElseThrow();

        assertThat(payload.containsMetadata(OffloadingPayloadCodec.OFFLOADED)).isFalse();
        Map<?, ?> value = converter.fromPayload(payload, Map.class, Map.class);
        assertThat(value).isEqualTo(Map.of("text", "short"));
    }

    @Test
    void aLargePayloadIsStoredOnceAndReferencedByItsHash() {
        // Offloading alone: with encryption before it, each encoding is new ciphertext and is stored on its own.
        DataConverter converter = new CodecDataConverter(DefaultDataConverter.newDefaultInstance(),
                List.of(new OffloadingPayloadCodec(store, THRESHOLD)));
        Map<String, Object> large = Map.of("text", "x".repeat(300 * 1024) + Math.random());

        Payload first = converter.toPayload(large).orElseThrow();
        Payload second = converter.toPayload(large).orElseThrow();

        assertThat(first.getSerializedSize()).isLessThan(300);
        assertThat(first.getMetadataOrThrow(OffloadingPayloadCodec.OFFLOADED).toStringUtf8()).isEqualTo("sha256");
        assertThat(first.getMetadataOrThrow("encoding").toStringUtf8()).isEqualTo("json/plain");
        assertThat(first.getData().toStringUtf8()).matches("\\{\"offloadedPayload\":\"[0-9a-f]{64}\",\"bytes\":\\d+}");
        assertThat(second).isEqualTo(first);
        assertThat(rowsWithId(id(first))).isEqualTo(1);
        Map<?, ?> value = converter.fromPayload(first, Map.class, Map.class);
        assertThat(value).isEqualTo(large);
    }

    @Test
    void theThresholdIsTheSerializedPayloadSize() {
        OffloadingPayloadCodec codec = new OffloadingPayloadCodec(store, THRESHOLD);
        Payload atLimit = payloadOfSize(THRESHOLD);
        Payload overLimit = payloadOfSize(THRESHOLD + 1);

        assertThat(codec.encode(List.of(atLimit))).containsExactly(atLimit);
        Payload reference = codec.encode(List.of(overLimit)).getFirst();
        assertThat(reference.containsMetadata(OffloadingPayloadCodec.OFFLOADED)).isTrue();
        assertThat(codec.decode(List.of(reference))).containsExactly(overLimit);
    }

    @Test
    void aMissingPayloadFailsWithAClearMessage() {
        Payload reference = converter.toPayload("y".repeat(300 * 1024) + Math.random()).orElseThrow();
        db.sql("DELETE FROM payloads WHERE id = :id").bind("id", id(reference)).then().block();

        assertThatThrownBy(() -> converter.fromPayload(reference, String.class, String.class))
                .isInstanceOf(PayloadCodecException.class)
                .hasMessageContaining(id(reference)).hasMessageContaining("keiko.payloads.retention");
    }

    @Test
    void aPayloadReadOnceIsReadFromMemoryAfterwards() {
        Payload reference = converter.toPayload("cached ".repeat(50 * 1024) + Math.random()).orElseThrow();
        String first = converter.fromPayload(reference, String.class, String.class);
        db.sql("DELETE FROM payloads WHERE id = :id").bind("id", id(reference)).then().block();

        assertThat(converter.fromPayload(reference, String.class, String.class)).isEqualTo(first);
    }

    record Before(String name) {
    }

    record After(String name, int added) {
    }

    @Test
    void aRecordWithAComponentItDoesNotKnowIsStillRead() {
        Payload newer = converter.toPayload(new After("x", 7)).orElseThrow();

        assertThat(converter.fromPayload(newer, Before.class, Before.class)).isEqualTo(new Before("x"));
    }

    @Test
    void settingsThatWouldLoseOrRefusePayloadsAreRefused() {
        assertThatThrownBy(() -> new PayloadProperties(DataSize.ofMegabytes(3), Duration.ofDays(30), Duration.ofHours(1)))
                .hasMessageContaining("keiko.payloads.offload-threshold");
        assertThatThrownBy(() -> new PayloadProperties(DataSize.ofBytes(0), Duration.ofDays(30), Duration.ofHours(1)))
                .hasMessageContaining("keiko.payloads.offload-threshold");
        assertThatThrownBy(() -> new PayloadProperties(DataSize.ofKilobytes(256), Duration.ofHours(1),
                Duration.ofHours(1))).hasMessageContaining("keiko.payloads.retention");
        assertThatThrownBy(() -> new PayloadProperties(DataSize.ofKilobytes(256), Duration.ofDays(30), Duration.ZERO))
                .hasMessageContaining("keiko.payloads.cleanup-interval");
    }

    @Test
    void retentionDeletesOnlyPayloadsUnusedForThatLong() {
        Payload old = converter.toPayload("old".repeat(100 * 1024) + Math.random()).orElseThrow();
        Payload recent = converter.toPayload("new".repeat(100 * 1024) + Math.random()).orElseThrow();
        db.sql("UPDATE payloads SET last_used_at = now() - interval '31 days' WHERE id = :id")
                .bind("id", id(old)).then().block();

        assertThat(store.deleteUnusedFor(Duration.ofDays(30)).block()).isGreaterThanOrEqualTo(1);

        assertThat(rowsWithId(id(old))).isZero();
        assertThat(rowsWithId(id(recent))).isEqualTo(1);
    }

    private static Payload payloadOfSize(int size) {
        Payload empty = Payload.newBuilder().putMetadata("encoding",
                com.google.protobuf.ByteString.copyFromUtf8("binary/plain")).build();
        // Field tag and length prefix of the data take a few bytes of the serialized size.
        int overhead = Payload.newBuilder(empty).setData(com.google.protobuf.ByteString.copyFrom(new byte[size]))
                .build().getSerializedSize() - size;
        byte[] data = "z".repeat(size - overhead).getBytes(StandardCharsets.UTF_8);
        Payload payload = Payload.newBuilder(empty).setData(com.google.protobuf.ByteString.copyFrom(data)).build();
        assertThat(payload.getSerializedSize()).isEqualTo(size);
        return payload;
    }

    private static String id(Payload reference) {
        return reference.getData().toStringUtf8().replaceAll(".*\"offloadedPayload\":\"([0-9a-f]{64})\".*", "$1");
    }

    private long rowsWithId(String id) {
        return db.sql("SELECT count(*) AS n FROM payloads WHERE id = :id").bind("id", id)
                .map(row -> row.get("n", Long.class)).one().block();
    }
}
