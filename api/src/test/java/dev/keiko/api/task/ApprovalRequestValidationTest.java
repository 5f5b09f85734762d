package dev.keiko.api.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.api.ApiTestSupport;
import dev.keiko.api.auth.ProblemBody;
import dev.keiko.domain.task.NewTask;
import dev.keiko.domain.task.Task;
import dev.keiko.domain.task.TaskPriority;
import dev.keiko.domain.task.TaskStore;
import dev.keiko.domain.user.Role;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * A decision's body is checked before it reaches the task's workflow: a refused one answers 400 problem+json;
 * one that passes reaches Temporal, which here answers that no workflow runs the task (409).
 */
class ApprovalRequestValidationTest extends ApiTestSupport {

    @Autowired
    TaskStore tasks;

    @Autowired
    JsonMapper json;

    TestUser user;
    Task task;

    @BeforeEach
    void pendingTask() {
        user = createUser(Role.USER);
        task = tasks.insert(new NewTask(user.id(), "agent", json.valueToTree(Map.of("goal", "g")),
                TaskPriority.NORMAL, 60, null, null)).block().task();
    }

    @Test
    void anOverlongCommentIsRefused() {
        assertThat(ProblemBody.expect(decide(Map.of("approvalId", "step1-1", "decision", "approve",
                "comment", "c".repeat(2001))), 400).detail()).contains("'comment'");
        // At the limit it passes validation and reaches the workflow.
        ProblemBody.expect(decide(Map.of("approvalId", "step1-1", "decision", "approve",
                "comment", "c".repeat(2000))), 409);
    }

    @Test
    void anOverlongOrMissingApprovalIdIsRefused() {
        assertThat(ProblemBody.expect(decide(Map.of("approvalId", "s".repeat(129), "decision", "approve")), 400)
                .detail()).contains("'approvalId'");
        assertThat(ProblemBody.expect(decide(Map.of("decision", "approve")), 400).detail()).contains("'approvalId'");
        assertThat(ProblemBody.expect(decide(Map.of("approvalId", " ", "decision", "approve")), 400).detail())
                .contains("'approvalId'");
        assertThat(ProblemBody.expect(decide(Map.of("approvalId", "step1-1", "decision", "maybe")), 400).detail())
                .contains("'decision' must be approve or reject");
    }

    @Test
    void theOldFieldNameToolCallIdIsStillRead() {
        assertThat(ProblemBody.expect(decide(Map.of("toolCallId", "step1-1", "decision", "approve")), 409).detail())
                .contains("is not running");
    }

    private WebTestClient.ResponseSpec decide(Map<String, String> body) {
        return web.post().uri("/api/v1/tasks/{id}/approvals", task.id())
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + user.token())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }
}
