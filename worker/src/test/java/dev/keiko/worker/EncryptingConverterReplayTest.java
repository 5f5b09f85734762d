package dev.keiko.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.keiko.domain.payload.EncryptingPayloadCodec;
import dev.keiko.domain.payload.OffloadingPayloadCodec;
import dev.keiko.domain.payload.PayloadEncryptionProperties;
import dev.keiko.domain.payload.PayloadOffloading;
import dev.keiko.domain.payload.PayloadStore;
import dev.keiko.embedded.EmbeddedPostgresServer;
import dev.keiko.embedded.EmbeddedServices;
import dev.keiko.workflows.agent.AgentSlotsWorkflowImpl;
import dev.keiko.workflows.task.TaskWorkflowImpl;
import dev.keiko.workflows.tool.ToolCatalogWorkflowImpl;
import io.r2dbc.spi.ConnectionFactories;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.DataConverter;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Every history recorded before payloads were encrypted (those the workflows module replays with the SDK's
 * converter) still replays with the converter workers use now, which encrypts.
 */
class EncryptingConverterReplayTest {

    private static final Path HISTORIES = Path.of("../workflows/src/test/resources/histories");

    private static TestWorkflowEnvironment env;
    private static Worker worker;

    @BeforeAll
    static void keikoConverter() {
        EmbeddedPostgresServer postgres = EmbeddedServices.shared().postgres();
        DatabaseClient db = DatabaseClient.create(ConnectionFactories.get("r2dbc:postgresql://"
                + EmbeddedPostgresServer.USERNAME + ":" + EmbeddedPostgresServer.PASSWORD + "@127.0.0.1:"
                + postgres.port() + "/postgres"));
        DataConverter converter = PayloadOffloading.dataConverter(
                new OffloadingPayloadCodec(new PayloadStore(db), 256 * 1024),
                new EncryptingPayloadCodec(new PayloadEncryptionProperties(List.of(
                        EmbeddedServices.shared().properties().get("keiko.payloads.encryption.keys")))));
        assertThat(converter.toPayload("x").orElseThrow().getMetadataOrThrow("encoding").toStringUtf8())
                .isEqualTo(EncryptingPayloadCodec.ENCRYPTED_ENCODING);
        env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(WorkflowClientOptions.newBuilder().setDataConverter(converter).build())
                .build());
        worker = env.newWorker("replay");
        worker.registerWorkflowImplementationTypes(TaskWorkflowImpl.class, AgentSlotsWorkflowImpl.class,
                ToolCatalogWorkflowImpl.class);
    }

    @AfterAll
    static void close() {
        env.close();
    }

    static Stream<Path> histories() throws IOException {
        try (Stream<Path> files = Files.list(HISTORIES)) {
            List<Path> all = files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
            assertThat(all).hasSizeGreaterThanOrEqualTo(14);
            return all.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("histories")
    void replaysAHistoryRecordedBeforeEncryption(Path file) throws IOException {
        WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(Files.readString(file));

        assertThatCode(() -> WorkflowReplayer.replayWorkflowExecution(history, worker)).doesNotThrowAnyException();
    }
}
