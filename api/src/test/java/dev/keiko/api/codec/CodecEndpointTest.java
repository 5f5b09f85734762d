package dev.keiko.api.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.keiko.api.ApiTestSupport;
import dev.keiko.api.auth.ProblemBody;
import dev.keiko.domain.payload.EncryptingPayloadCodec;
import dev.keiko.domain.payload.OffloadingPayloadCodec;
import dev.keiko.domain.task.NewTask;
import dev.keiko.domain.task.Task;
import dev.keiko.domain.task.TaskPriority;
import dev.keiko.domain.task.TaskStore;
import dev.keiko.domain.user.Role;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.payload.context.WorkflowSerializationContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

class CodecEndpointTest extends ApiTestSupport {

    @Autowired
    EncryptingPayloadCodec encrypting;

    @Autowired
    OffloadingPayloadCodec offloading;

    @Autowired
    TaskStore tasks;

    @Autowired
    JsonMapper json;

    private TestUser owner;
    private Task task;
    private Payload prompt;
    private Payload document;
    private Payloads sent;

    @BeforeEach
    void aTaskWithEncryptedPayloads() {
        owner = createUser(Role.USER);
        task = tasks.insert(new NewTask(owner.id(), "completion", json.valueToTree(Map.of("prompt", "hi")),
                TaskPriority.NORMAL, 60, null, null)).block().task();
        prompt = json("{\"prompt\":\"owner-secret-" + UUID.randomUUID() + "\"}");
        document = json("\"" + ("large-secret " + UUID.randomUUID() + " ").repeat(6_000) + "\"");
        var inTask = encrypting.withContext(new WorkflowSerializationContext("default", task.workflowId()));
        Payload encryptedPrompt = inTask.encode(List.of(prompt)).getFirst();
        Payload offloadedDocument = offloading.encode(inTask.encode(List.of(document))).getFirst();
        assertThat(offloadedDocument.containsMetadata(OffloadingPayloadCodec.OFFLOADED)).isTrue();
        sent = Payloads.newBuilder().addPayloads(encryptedPrompt).addPayloads(offloadedDocument).build();
    }

    private static Payload json(String text) {
        return Payload.newBuilder().putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
                .setData(ByteString.copyFromUtf8(text)).build();
    }

    private static String body(Payloads payloads) {
        try {
            return JsonFormat.printer().print(payloads);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static Payloads parse(String body) {
        Payloads.Builder payloads = Payloads.newBuilder();
        try {
            JsonFormat.parser().merge(body, payloads);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(body, e);
        }
        return payloads.build();
    }

    private WebTestClient.ResponseSpec post(String path, String token, String body) {
        // A resolved offloaded payload is larger than the client's default buffer.
        return web.mutate().codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(4 * 1024 * 1024)).build()
                .post().uri(path)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .header("X-Namespace", "default")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private Payloads decode(String token, Payloads payloads) {
        String body = post("/codec/decode?preserveStorageRefs=true", token, body(payloads))
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(String.class).returnResult().getResponseBody();
        return parse(body);
    }

    @Test
    void theOwnerReadsItsTaskPayloadsAndOffloadedOnesResolved() {
        assertThat(decode(owner.token(), sent).getPayloadsList()).containsExactly(prompt, document);
    }

    @Test
    void anotherUserGetsThePayloadsBackUnchanged() {
        TestUser other = createUser(Role.USER);

        assertThat(decode(other.token(), sent)).isEqualTo(sent);
    }

    @Test
    void rolesThatReadEveryTaskReadItsPayloads() {
        assertThat(decode(createUser(Role.VIEWER).token(), sent).getPayloadsList()).containsExactly(prompt, document);
        assertThat(decode(createUser(Role.OPERATOR).token(), sent).getPayloadsList())
                .containsExactly(prompt, document);
        assertThat(decode(admin().token(), sent).getPayloadsList()).containsExactly(prompt, document);
    }

    @Test
    void payloadsOfOtherWorkflowsOrNoneAreForOperatorsAndAdminsOnly() {
        Payload slots = encrypting.withContext(new WorkflowSerializationContext("default", "agent-slots-" + UUID.randomUUID()))
                .encode(List.of(prompt)).getFirst();
        Payload unbound = encrypting.encode(List.of(prompt)).getFirst();
        Payload missingTask = encrypting.withContext(new WorkflowSerializationContext("default", "task-" + UUID.randomUUID()))
                .encode(List.of(prompt)).getFirst();
        Payloads others = Payloads.newBuilder().addPayloads(slots).addPayloads(unbound).addPayloads(missingTask)
                .build();

        assertThat(decode(owner.token(), others)).isEqualTo(others);
        assertThat(decode(createUser(Role.VIEWER).token(), others)).isEqualTo(others);
        assertThat(decode(createUser(Role.OPERATOR).token(), others).getPayloadsList())
                .containsExactly(prompt, prompt, prompt);
    }

    @Test
    void unencryptedAndUnreadablePayloadsComeBackAsTheyWere() {
        Payload tampered = sent.getPayloads(0).toBuilder().setData(ByteString.copyFromUtf8("not a ciphertext at all"))
                .build();
        Payload unknownReference = sent.getPayloads(1).toBuilder()
                .setData(ByteString.copyFromUtf8("{\"offloadedPayload\":\"" + "0".repeat(64) + "\",\"bytes\":1}"))
                .build();
        Payloads odd = Payloads.newBuilder().addPayloads(prompt).addPayloads(tampered).addPayloads(unknownReference)
                .build();

        assertThat(decode(admin().token(), odd)).isEqualTo(odd);
    }

    @Test
    void encodingEncryptsForTaskCreatorsOnly() {
        Payloads plain = Payloads.newBuilder().addPayloads(prompt).build();

        Payloads encoded = parse(post("/codec/encode", owner.token(), body(plain)).expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());

        assertThat(EncryptingPayloadCodec.isEncrypted(encoded.getPayloads(0))).isTrue();
        assertThat(encoded.getPayloads(0).toByteString().toStringUtf8()).doesNotContain("owner-secret");
        assertThat(decode(admin().token(), encoded)).isEqualTo(plain);
        ProblemBody.expect(post("/codec/encode", createUser(Role.VIEWER).token(), body(plain)), 403);
    }

    @Test
    void withoutATokenTheAnswerIs401() {
        ProblemBody.expect(web.post().uri("/codec/decode").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body(sent)).exchange(), 401);
        ProblemBody.expect(post("/codec/decode", "not-a-token", body(sent)), 401);
    }

    @Test
    void malformedBodiesAnswer400AndOtherContentTypes415() {
        for (String hostile : List.of("", "{", "[]", "null", "{\"payloads\":[{\"data\":\"%%%not base64\"}]}",
                "{\"payloads\":[{\"metadata\":{\"encoding\":7}}]}", "{\"payloads\":\"x\"}", "[".repeat(100_000),
                "{\"payloads\":[" + "{\"a\":".repeat(20_000) + "1" + "}".repeat(20_000) + "]}")) {
            ProblemBody problem = ProblemBody.expect(post("/codec/decode", owner.token(), hostile), 400);
            assertThat(problem.detail()).hasSizeLessThan(400);
        }
        ProblemBody.expect(web.post().uri("/codec/decode").header(HttpHeaders.AUTHORIZATION, "Bearer " + owner.token())
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).bodyValue("payloads=x").exchange(), 415);
        ProblemBody.expect(post("/codec/decode", owner.token(), "{\"payloads\":[" + "{},".repeat(800_000) + "{}]}"),
                413);
        ProblemBody tooMany = ProblemBody.expect(post("/codec/decode", owner.token(),
                "{\"payloads\":[" + "{},".repeat(100) + "{}]}"), 400);
        assertThat(tooMany.detail()).contains("At most 100 payloads");
    }

    @Test
    void aChunkedBodyOverTheLimitAnswers413() {
        // No Content-Length: the size filter cannot refuse it up front, the endpoint stops reading at the limit.
        byte[] chunk = ("{\"payloads\":[" + "{},".repeat(100_000)).getBytes(StandardCharsets.UTF_8);
        Flux<DataBuffer> body = Flux.range(0, 10).map(i -> DefaultDataBufferFactory.sharedInstance.wrap(chunk));
        ProblemBody.expect(web.post().uri("/codec/decode").header(HttpHeaders.AUTHORIZATION, "Bearer " + owner.token())
                .contentType(MediaType.APPLICATION_JSON).body(body, DataBuffer.class).exchange(), 413);
    }

    @Test
    void anEncryptedPayloadJustUnderTheOffloadThresholdDecodesThoughItsBodyIsOverTheApisLimit() {
        Payload large = json("\"" + "x".repeat(250 * 1024) + "\"");
        Payload inline = encrypting.withContext(new WorkflowSerializationContext("default", task.workflowId()))
                .encode(List.of(large)).getFirst();
        String body = body(Payloads.newBuilder().addPayloads(inline).build());
        assertThat(body.length()).isGreaterThan(256 * 1024);

        assertThat(decode(owner.token(), Payloads.newBuilder().addPayloads(inline).build()).getPayloadsList())
                .containsExactly(large);
    }

    @Test
    void onlyTheWebUiOriginPassesThePreflight() {
        web.options().uri("/codec/decode")
                .header(HttpHeaders.ORIGIN, WEB_UI_ORIGIN)
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "authorization,content-type,x-namespace")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, WEB_UI_ORIGIN)
                .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        ProblemBody.expect(web.options().uri("/codec/decode")
                .header(HttpHeaders.ORIGIN, "http://evil.example")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
                .exchange()
                .expectHeader().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN), 403);
        // The answer itself carries the origin only for the Web UI, so no other page reads it.
        post("/codec/decode", owner.token(), body(sent)).expectHeader().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
        ProblemBody problem = ProblemBody.expect(web.post().uri("/codec/decode")
                .header(HttpHeaders.ORIGIN, "http://evil.example")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + owner.token())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body(sent)).exchange()
                .expectHeader().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN), 403);
        assertThat(problem.detail()).contains("keiko.codec.allowed-origins");
    }
}
