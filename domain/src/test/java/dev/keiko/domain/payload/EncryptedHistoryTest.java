package dev.keiko.domain.payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keiko.domain.DomainTest;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.common.v1.Payload;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.common.converter.DataConverter;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * What Temporal and PostgreSQL hold of a workflow run through Keiko's converter: ciphertext, in history and in
 * offloaded rows alike, while workflows and activities see their values.
 */
class EncryptedHistoryTest extends DomainTest {

    @WorkflowInterface
    public interface Shout {
        @WorkflowMethod
        String shout(String text);
    }

    @ActivityInterface
    public interface Loud {
        String loud(String text);
    }

    public static class ShoutImpl implements Shout {

        private final Loud loud = Workflow.newActivityStub(Loud.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(10))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());

        @Override
        public String shout(String text) {
            return loud.loud(text) + "!";
        }
    }

    @Autowired
    DataConverter converter;

    @Autowired
    DatabaseClient db;

    private TestWorkflowEnvironment env;

    @BeforeEach
    void startEnvironment() {
        env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(WorkflowClientOptions.newBuilder().setDataConverter(converter).build())
                .build());
        Worker worker = env.newWorker("shout");
        worker.registerWorkflowImplementationTypes(ShoutImpl.class);
        worker.registerActivitiesImplementations((Loud) text -> {
            if (text.startsWith("fail")) {
                throw ApplicationFailure.newNonRetryableFailure("cannot shout " + text, "Refused");
            }
            return text.toUpperCase();
        });
        env.start();
    }

    @AfterEach
    void closeEnvironment() {
        env.close();
    }

    private String run(String workflowId, String text) {
        return env.getWorkflowClient().newWorkflowStub(Shout.class,
                WorkflowOptions.newBuilder().setTaskQueue("shout").setWorkflowId(workflowId).build()).shout(text);
    }

    private String history(String workflowId) {
        return env.getWorkflowClient().fetchHistory(workflowId).toJson(false)
                + new String(env.getWorkflowClient().fetchHistory(workflowId).getHistory().toByteArray(),
                        StandardCharsets.ISO_8859_1);
    }

    @Test
    void aHistoryHoldsNoArgumentResultOrFailureInPlainText() {
        String secret = "prompt-" + UUID.randomUUID();
        String workflowId = "task-" + UUID.randomUUID();

        assertThat(run(workflowId, secret)).isEqualTo(secret.toUpperCase() + "!");

        String history = history(workflowId);
        assertThat(history).contains("binary/encrypted").contains(workflowId)
                .doesNotContain(secret).doesNotContain(secret.toUpperCase());

        String failing = "fail-" + UUID.randomUUID();
        String failedId = "task-" + UUID.randomUUID();
        assertThatThrownBy(() -> run(failedId, failing)).isInstanceOf(WorkflowFailedException.class)
                .rootCause().hasMessageContaining("cannot shout " + failing);
        assertThat(history(failedId)).doesNotContain(failing).contains("Encoded failure");
    }

    @Test
    void anOffloadedPayloadIsStoredAsCiphertext() {
        String secret = "document-" + UUID.randomUUID() + " ";
        String large = secret.repeat(300 * 1024 / secret.length() + 1);
        String workflowId = "task-" + UUID.randomUUID();

        assertThat(run(workflowId, large)).isEqualTo(large.toUpperCase() + "!");

        List<byte[]> rows = db.sql("SELECT data FROM payloads WHERE last_used_at > now() - interval '1 minute'")
                .map(row -> row.get("data", byte[].class)).all().collectList().block();
        List<Payload> stored = rows.stream().map(EncryptedHistoryTest::parse).toList();
        assertThat(stored).filteredOn(p -> workflowId.equals(EncryptingPayloadCodec.boundWorkflowId(p)))
                .hasSizeGreaterThanOrEqualTo(3) // the input, the activity's argument and its result, the result
                .allMatch(EncryptingPayloadCodec::isEncrypted);
        assertThat(rows).noneMatch(data -> new String(data, StandardCharsets.ISO_8859_1).contains(secret.strip())
                || new String(data, StandardCharsets.ISO_8859_1).contains(secret.strip().toUpperCase()));
        assertThat(history(workflowId)).contains("offloadedPayload").doesNotContain(secret.strip());
    }

    private static Payload parse(byte[] data) {
        try {
            return Payload.parseFrom(data);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError("A stored payload is not a Temporal payload", e);
        }
    }
}
