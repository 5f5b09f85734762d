package dev.keiko.workflows.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A task's progress reads and writes as before unless it waits in an agent's line. */
class TaskProgressJsonTest {

    private final DataConverter converter = DefaultDataConverter.STANDARD_INSTANCE;

    @Test
    void progressOutsideAnyLineLeavesThePlaceOut() {
        Payload payload = converter.toPayload(new TaskProgress(TaskStatuses.RUNNING, "tool: everything/echo", 5,
                List.of(), 0, List.of())).orElseThrow();

        assertThat(payload.getData().toString(StandardCharsets.UTF_8)).doesNotContain("queue");
    }

    @Test
    void progressFromBeforeLinesReadsWithoutAPlace() {
        Payload old = converter.toPayload(new OldProgress("running", null, 5, List.of(), 0, List.of())).orElseThrow();

        TaskProgress read = converter.fromPayload(old, TaskProgress.class, TaskProgress.class);

        assertThat(read.status()).isEqualTo("running");
        assertThat(read.queuePlace()).isNull();
        assertThat(read.queueLength()).isNull();
    }

    @Test
    void aWaitingTaskShowsItsPlace() {
        TaskProgress waiting = new TaskProgress(TaskStatuses.PENDING, null, 5, List.of(), 0, List.of(), 3, 7);

        TaskProgress read = converter.fromPayload(converter.toPayload(waiting).orElseThrow(), TaskProgress.class,
                TaskProgress.class);

        assertThat(read).isEqualTo(waiting);
    }

    /** {@link TaskProgress} as it was before agents' lines. */
    record OldProgress(String status, String step, long updatedAtMillis, List<AgentStep> steps, int stepCount,
            List<PendingApproval> approvals) {
    }
}
