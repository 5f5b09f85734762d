package dev.keiko.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.keiko.domain.user.Role;
import dev.keiko.launcher.DevSystem.TestUser;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A task's history in Temporal holds its prompt only encrypted, the API and worker processes sharing the key; the
 * codec endpoint shows the task's payloads to its owner, as the Web UI and the CLI would ask for them.
 */
class EncryptedPayloadsFlowTest {

    static DevSystem system;
    static TestUser owner;

    @BeforeAll
    static void start() {
        system = DevSystem.shared();
        owner = system.user(Role.USER);
    }

    private String runEcho(String message) {
        String id = (String) system.web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, owner.bearer())
                .bodyValue(TaskFlowTest.echo(message)).exchange().expectStatus().isAccepted()
                .expectBody(java.util.Map.class).returnResult().getResponseBody().get("id");
        TaskFlowTest.awaitStatus(system.web, owner, id, "completed", Duration.ofSeconds(30));
        TaskFlowTest.awaitWorkflowEnd(system, id);
        return "task-" + id;
    }

    /** The workflow's input and every activity's result, as the Web UI sends them to the codec endpoint. */
    private static Payloads payloadsOf(List<HistoryEvent> events) {
        List<Payload> payloads = new ArrayList<>();
        for (HistoryEvent event : events) {
            if (event.hasWorkflowExecutionStartedEventAttributes()) {
                payloads.addAll(event.getWorkflowExecutionStartedEventAttributes().getInput().getPayloadsList());
            }
            if (event.hasActivityTaskCompletedEventAttributes()) {
                payloads.addAll(event.getActivityTaskCompletedEventAttributes().getResult().getPayloadsList());
            }
        }
        return Payloads.newBuilder().addAllPayloads(payloads).build();
    }

    private static Payloads decode(TestUser caller, Payloads payloads) throws InvalidProtocolBufferException {
        String body = WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + system.api.getEnvironment().getProperty("local.server.port"))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(8 * 1024 * 1024))
                .responseTimeout(Duration.ofSeconds(30)).build()
                .post().uri("/codec/decode").header(HttpHeaders.AUTHORIZATION, caller.bearer())
                .header("X-Namespace", "default")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(JsonFormat.printer().print(payloads))
                .exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        Payloads.Builder decoded = Payloads.newBuilder();
        JsonFormat.parser().merge(body, decoded);
        return decoded.build();
    }

    private static String text(Payloads payloads) {
        return payloads.getPayloadsList().stream().map(payload -> payload.getData().toStringUtf8())
                .collect(Collectors.joining("\n"));
    }

    @Test
    void theHistoryHoldsThePromptEncryptedAndTheOwnerReadsItThroughTheCodecEndpoint()
            throws InvalidProtocolBufferException {
        String message = "codec-flow-" + UUID.randomUUID();
        String large = ("large-codec-flow " + UUID.randomUUID() + " ").repeat(2_000);

        for (String prompt : List.of(message, large)) {
            String workflowId = runEcho(prompt);
            var history = system.api.getBean(WorkflowClient.class).fetchHistory(workflowId).getHistory();
            String raw = history.toByteString().toStringUtf8();
            assertThat(raw).contains("binary/encrypted").doesNotContain(prompt.strip());

            Payloads sent = payloadsOf(history.getEventsList());
            assertThat(text(decode(owner, sent))).contains(prompt.strip()).contains("Echo: " + prompt.strip());
            assertThat(decode(system.user(Role.USER), sent)).isEqualTo(sent);
        }
    }
}
