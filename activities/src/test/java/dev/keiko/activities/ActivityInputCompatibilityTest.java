package dev.keiko.activities;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.keiko.domain.payload.EncryptingPayloadCodec;
import dev.keiko.domain.payload.OffloadingPayloadCodec;
import dev.keiko.domain.payload.PayloadEncryptionProperties;
import dev.keiko.domain.payload.PayloadOffloading;
import dev.keiko.domain.payload.PayloadStore;
import dev.keiko.workflows.llm.ChatCompletionInput;
import dev.keiko.workflows.llm.ChatMessage;
import dev.keiko.workflows.llm.ImageGenerationInput;
import dev.keiko.workflows.tool.ToolCallInput;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.EncodingKeys;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The activity inputs that gained a nullable {@code agentId} read and write as before, through the converter every
 * Keiko process uses ({@link PayloadOffloading#dataConverter}), during a rolling deploy in both directions: a null
 * {@code agentId} is left out of the JSON, so a call of a task outside any agent is the payload it always was; JSON
 * with a member the reader does not know (what a newer worker sends an older one) still decodes; JSON without
 * {@code agentId} (what an older worker or workflow sends) decodes with it null.
 */
class ActivityInputCompatibilityTest {

    private static final EncryptingPayloadCodec ENCRYPTING = new EncryptingPayloadCodec(new PayloadEncryptionProperties(
            List.of("compat1:" + Base64.getEncoder().encodeToString(new byte[32]))));
    private static final DataConverter CONVERTER = PayloadOffloading.dataConverter(
            new OffloadingPayloadCodec(new NoStore(), 256 * 1024), ENCRYPTING);
    private static final String AGENT = "7d3c5f0e-2b1a-4c8d-9e6f-0a1b2c3d4e5f";

    @Test
    void aToolCallInput() {
        ToolCallInput outside = new ToolCallInput("task-1", "everything", "echo", Map.of("message", "hi"));
        ToolCallInput routed = new ToolCallInput("task-1", "everything", "echo", Map.of("message", "hi"), null, AGENT);

        assertCompatible(ToolCallInput.class, outside, routed,
                "{\"taskId\":\"task-1\",\"server\":\"everything\",\"tool\":\"echo\",\"arguments\":{\"message\":\"hi\"},"
                        + "\"argumentsJson\":null}");
    }

    @Test
    void aChatCompletionInput() {
        List<ChatMessage> messages = List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hello"));
        ChatCompletionInput outside = new ChatCompletionInput("task-2", "azure", "gpt-4o", messages, List.of(), 0.2,
                100, 3, 40);
        ChatCompletionInput routed = new ChatCompletionInput("task-2", "azure", "gpt-4o", messages, List.of(), 0.2,
                100, 3, 40, AGENT);

        assertCompatible(ChatCompletionInput.class, outside, routed,
                "{\"taskId\":\"task-2\",\"provider\":\"azure\",\"deployment\":\"gpt-4o\",\"messages\":["
                        + "{\"role\":\"system\",\"content\":\"Be brief.\",\"toolCalls\":[],\"toolCallId\":null},"
                        + "{\"role\":\"user\",\"content\":\"Hello\",\"toolCalls\":[],\"toolCallId\":null}],"
                        + "\"tools\":[],\"temperature\":0.2,\"maxTokens\":100,\"step\":3,\"promptEstimate\":40}");
    }

    @Test
    void anImageGenerationInput() {
        ImageGenerationInput outside = new ImageGenerationInput("task-3", null, "dall-e-3", "A lighthouse",
                "1024x1024");
        ImageGenerationInput routed = new ImageGenerationInput("task-3", null, "dall-e-3", "A lighthouse",
                "1024x1024", AGENT);

        assertCompatible(ImageGenerationInput.class, outside, routed,
                "{\"taskId\":\"task-3\",\"provider\":null,\"deployment\":\"dall-e-3\",\"prompt\":\"A lighthouse\","
                        + "\"size\":\"1024x1024\"}");
    }

    /**
     * {@code outside} (no agent) and {@code routed} (the same with an agent), and {@code older}, the JSON of the
     * input as it was before {@code agentId}.
     */
    private static <T> void assertCompatible(Class<T> type, T outside, T routed, String older) {
        // A null agentId is left out: the call of a task outside any agent is written exactly as before.
        String outsideJson = json(outside);
        assertThat(outsideJson).doesNotContain("agentId").isEqualTo(older);
        // A set one is written, and read back.
        String routedJson = json(routed);
        assertThat(routedJson).contains("\"agentId\":\"" + AGENT + "\"");
        assertThat(read(routedJson, type)).isEqualTo(routed);
        // JSON without agentId, from an older worker or workflow, reads with it null.
        assertThat(read(older, type)).isEqualTo(outside);
        // A member this version does not know, from a newer one, is ignored, whether there is an agentId or not.
        assertThat(read(withMember(routedJson), type)).isEqualTo(routed);
        assertThat(read(withMember(outsideJson), type)).isEqualTo(outside);
    }

    /** The JSON the converter writes for the value, read from under its encryption. */
    private static String json(Object value) {
        Payload payload = CONVERTER.toPayload(value).orElseThrow();
        assertThat(EncryptingPayloadCodec.isEncrypted(payload)).as("encrypted as every Keiko payload").isTrue();
        Payload plain = ENCRYPTING.decode(List.of(payload)).getFirst();
        assertThat(plain.getMetadataOrThrow(EncodingKeys.METADATA_ENCODING_KEY).toStringUtf8())
                .isEqualTo("json/plain");
        return plain.getData().toStringUtf8();
    }

    /** The value the converter reads from this JSON, encrypted as another process would send it. */
    private static <T> T read(String json, Class<T> type) {
        Payload plain = Payload.newBuilder()
                .putMetadata(EncodingKeys.METADATA_ENCODING_KEY, ByteString.copyFromUtf8("json/plain"))
                .setData(ByteString.copyFrom(json, StandardCharsets.UTF_8))
                .build();
        return CONVERTER.fromPayload(ENCRYPTING.encode(List.of(plain)).getFirst(), type, type);
    }

    /** The JSON object with one more member, as a later version might add. */
    private static String withMember(String json) {
        assertThat(json).startsWith("{");
        return "{\"addedLater\":{\"nested\":[1,2],\"flag\":true}," + json.substring(1);
    }

    /** These payloads are far below the offload threshold: none may reach the store. */
    private static final class NoStore extends PayloadStore {

        NoStore() {
            super(null);
        }

        @Override
        public Mono<Void> save(String id, byte[] data) {
            throw new AssertionError("a small payload was offloaded");
        }

        @Override
        public Mono<byte[]> load(String id) {
            throw new AssertionError("a small payload was read from the store");
        }
    }
}
