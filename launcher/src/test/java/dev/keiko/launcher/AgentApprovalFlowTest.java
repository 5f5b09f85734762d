package dev.keiko.launcher;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.keiko.domain.user.Role;
import dev.keiko.launcher.DevSystem.TestUser;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/** A tool call that needs approval waits, shows in the task, and runs once its owner approves it over REST. */
class AgentApprovalFlowTest {

    @Test
    void theOwnerApprovesAWaitingToolCall() throws Exception {
        DevSystem system = DevSystem.shared();
        TestUser user = system.user(Role.USER);
        String deployment = "approval-flow";
        String path = "/openai/deployments/" + deployment + "/chat/completions";
        // The first answer takes 1.5 s: time enough to follow the task's events from the start.
        DevSystem.AZURE_OPENAI.stubFor(post(urlPathEqualTo(path)).atPriority(5).willReturn(json("""
                {"id": "c1", "object": "chat.completion", "created": 1764150000, "model": "gpt-4o",
                 "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {"role": "assistant",
                   "content": null, "tool_calls": [{"id": "call_echo", "type": "function",
                     "function": {"name": "everything__echo", "arguments": "{\\"message\\": \\"approved\\"}"}}]}}],
                 "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}}
                """).withFixedDelay(1500)));
        DevSystem.AZURE_OPENAI.stubFor(post(urlPathEqualTo(path)).atPriority(1)
                .withRequestBody(matchingJsonPath("$.messages[?(@.role == 'tool')]"))
                .willReturn(json("""
                        {"id": "c2", "object": "chat.completion", "created": 1764150001, "model": "gpt-4o",
                         "choices": [{"index": 0, "finish_reason": "stop",
                                      "message": {"role": "assistant", "content": "It echoed."}}],
                         "usage": {"prompt_tokens": 20, "completion_tokens": 3, "total_tokens": 23}}
                        """)));
        String id = (String) system.web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, user.bearer())
                .bodyValue(Map.of("type", "agent", "parameters", Map.of("goal", "echo something",
                        "tools", List.of("everything"), "approvalRequired", List.of("everything/echo"),
                        "deployment", deployment)))
                .exchange().expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
        CompletableFuture<List<String>> events = system.progressMessages(user, id);

        Map<?, ?> progress = awaitApproval(system, user, id);
        assertThat(progress.get("status")).isEqualTo("awaiting_approval");
        Map<?, ?> approval = (Map<?, ?>) ((List<?>) progress.get("approvals")).getFirst();
        assertThat(approval.get("approvalId")).isEqualTo("step1-1");
        assertThat(approval.get("toolCallId")).isEqualTo("call_echo");
        assertThat(approval.get("tool")).isEqualTo("everything/echo");
        assertThat(approval.get("argumentsJson")).isEqualTo("{\"message\": \"approved\"}");
        TestUser viewer = system.user(Role.VIEWER);
        system.web.post().uri("/api/v1/tasks/{id}/approvals", id).header(HttpHeaders.AUTHORIZATION, viewer.bearer())
                .bodyValue(Map.of("approvalId", "step1-1", "decision", "approve"))
                .exchange().expectStatus().isForbidden();
        system.web.post().uri("/api/v1/tasks/{id}/approvals", id).header(HttpHeaders.AUTHORIZATION, user.bearer())
                .bodyValue(Map.of("approvalId", "call_echo", "decision", "approve"))
                .exchange().expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail)
                        .contains("No approval 'call_echo' is waiting; waiting: [step1-1]"));

        system.web.post().uri("/api/v1/tasks/{id}/approvals", id).header(HttpHeaders.AUTHORIZATION, user.bearer())
                .bodyValue(Map.of("approvalId", "step1-1", "decision", "approve", "comment", "go ahead"))
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.approvalId").isEqualTo("step1-1").jsonPath("$.decision").isEqualTo("approve");

        Map<?, ?> task = TaskFlowTest.awaitStatus(system.web, user, id, "completed", Duration.ofSeconds(30));
        Map<?, ?> data = (Map<?, ?>) ((Map<?, ?>) task.get("result")).get("data");
        assertThat(data.get("answer")).isEqualTo("It echoed.");
        assertThat((List<?>) data.get("steps")).extracting(step -> (Object) ((Map<?, ?>) step).get("kind"))
                .containsExactly("llm", "approval", "tool", "llm");
        assertThat(events.get(30, TimeUnit.SECONDS)).containsSubsequence(
                "approval: everything/echo waits for a decision on step1-1 (tool call call_echo)",
                "approval: everything/echo step1-1 approved by " + user.username() + ": go ahead");
    }

    private static Map<?, ?> awaitApproval(DevSystem system, TestUser user, String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Map<?, ?> task = system.web.get().uri("/api/v1/tasks/{id}", id)
                    .header(HttpHeaders.AUTHORIZATION, user.bearer())
                    .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
            if (task.get("progress") instanceof Map<?, ?> progress && progress.get("approvals") instanceof List<?> list
                    && !list.isEmpty()) {
                return progress;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Task " + id + " never waited for approval");
    }

    private static ResponseDefinitionBuilder json(String body) {
        return aResponse().withHeader("Content-Type", "application/json").withBody(body);
    }
}
