package dev.keiko.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keiko.domain.user.Role;
import dev.keiko.launcher.DevSystem.TestUser;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

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
            String server = "failing-" + UUID.randomUUID().toString().substring(0, 8);
            system.web.post().uri("/api/v1/mcp/servers").header(HttpHeaders.AUTHORIZATION, operator.bearer())
                    .bodyValue(Map.of("name", server, "transport", "streamable-http", "url", tool.url(),
                            "allowedTools", List.of("fail")))
                    .exchange().expectStatus().isCreated();
            String id = (String) system.web.post().uri("/api/v1/tasks")
                    .header(HttpHeaders.AUTHORIZATION, operator.bearer())
                    .bodyValue(Map.of("type", "tool", "parameters", Map.of("server", server, "tool", "fail",
                            "arguments", Map.of("message", "cannot use " + secret))))
                    .exchange().expectStatus().isAccepted()
                    .expectBody(Map.class).returnResult().getResponseBody().get("id");
            Map<?, ?> failed = TaskFlowTest.awaitStatus(system.web, operator, id, "failed", Duration.ofSeconds(30));
            assertThat(((Map<?, ?>) failed.get("result")).get("errorMessage")).asString().contains(secret);
            TaskFlowTest.awaitWorkflowEnd(system, id);

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(system.worker().output())
                    .contains("Activity CallTool of workflow task-" + id + " attempt 1 failed: TOOL_ERROR")
                    .contains("task " + id + " ended failed"));
            assertThat(system.worker().output()).doesNotContain(secret);
        }
    }
}
