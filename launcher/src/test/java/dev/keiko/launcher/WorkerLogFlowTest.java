package dev.keiko.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keiko.domain.user.Role;
import dev.keiko.launcher.DevSystem.TestUser;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What a worker process logs of a failed tool call: the attempt and its failure's type, never the failure's text,
 * which may quote the tool's arguments or output (Keiko keeps it encrypted in workflow history).
 */
class WorkerLogFlowTest {

    private final DevSystem system = DevSystem.shared();

    @Test
    void aFailedToolCallIsLoggedByItsTypeWithoutItsText() {
        TestUser operator = system.user(Role.OPERATOR);
        String secret = "quoted-argument-" + UUID.randomUUID();
        try (CountingMcpServer tool = CountingMcpServer.start()) {
            String id = tool.failedTask(system.web, operator, secret);
            TaskFlowTest.awaitWorkflowEnd(system, id);

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(system.worker().output())
                    .contains("Activity CallTool of workflow task-" + id + " attempt 1 failed: TOOL_ERROR")
                    .contains("task " + id + " ended failed"));
            assertThat(system.worker().output()).doesNotContain(secret);
        }
    }
}
