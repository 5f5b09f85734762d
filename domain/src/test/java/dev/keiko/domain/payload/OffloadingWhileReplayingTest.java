package dev.keiko.domain.payload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.domain.DomainTest;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.converter.DataConverter;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import io.temporal.workflow.unsafe.WorkflowUnsafe;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Mono;

/** Workflow code that passes a large value on stores it when it sends it, and not again when it is replayed. */
class OffloadingWhileReplayingTest extends DomainTest {

    @WorkflowInterface
    public interface Relay {
        @WorkflowMethod
        String relay(String text);

        @QueryMethod
        int hops();
    }

    @ActivityInterface
    public interface Echo {
        String echo(String text);
    }

    /** How many times a workflow method ran: once, and again at each replay. */
    static final AtomicInteger RUNS = new AtomicInteger();

    public static class RelayImpl implements Relay {

        private final Echo echo = Workflow.newActivityStub(Echo.class,
                ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());
        private int hops;

        @Override
        public String relay(String text) {
            RUNS.incrementAndGet();
            String relayed = text;
            for (; hops < 3; hops++) {
                relayed = echo.echo(relayed);
            }
            return relayed;
        }

        @Override
        public int hops() {
            return hops;
        }
    }

    /** Where each save came from: a workflow thread or not, and replaying or not. */
    record Save(boolean workflowThread, boolean replaying) {
    }

    static final class RecordingStore extends PayloadStore {

        final List<Save> saves = new CopyOnWriteArrayList<>();

        RecordingStore(DatabaseClient db) {
            super(db);
        }

        @Override
        public Mono<Void> save(String id, byte[] data) {
            boolean workflowThread = WorkflowUnsafe.isWorkflowThread();
            saves.add(new Save(workflowThread, workflowThread && WorkflowUnsafe.isReplaying()));
            return super.save(id, data);
        }
    }

    @Autowired
    DatabaseClient db;

    @Test
    void valuesPassedOnAreStoredWhenSentAndNotWhenReplayed() {
        RecordingStore store = new RecordingStore(db);
        DataConverter converter = PayloadOffloading.dataConverter(
                new OffloadingPayloadCodec(store, DataSize.ofKilobytes(1).toBytes()),
                TestKeys.codec(TestKeys.entry("replaying")));
        TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(WorkflowClientOptions.newBuilder().setDataConverter(converter).build())
                .build());
        try {
            Worker worker = env.newWorker("relay");
            worker.registerWorkflowImplementationTypes(RelayImpl.class);
            worker.registerActivitiesImplementations((Echo) text -> text);
            env.start();
            String large = "relay ".repeat(10_000) + Math.random();

            Relay relay = env.getWorkflowClient().newWorkflowStub(Relay.class,
                    WorkflowOptions.newBuilder().setTaskQueue("relay").build());
            String relayed = relay.relay(large);
            int runs = RUNS.get();
            // A query of a closed workflow replays its whole history, passing the value on three more times.
            int hops = relay.hops();

            assertThat(relayed).isEqualTo(large);
            assertThat(hops).isEqualTo(3);
            assertThat(RUNS.get()).isGreaterThan(runs);
            // Three hops and the result, each stored once.
            assertThat(store.saves).filteredOn(Save::workflowThread).hasSize(4);
            assertThat(store.saves).noneMatch(Save::replaying);
        } finally {
            env.close();
        }
    }
}
