package dev.keiko.launcher;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.keiko.domain.user.Role;
import dev.keiko.launcher.DevSystem.TestUser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/**
 * Parallel tasks of one user share that user's daily token budget: together they never spend past it,
 * however their model calls interleave.
 */
class ParallelBudgetFlowTest {

    static final String DEPLOYMENT = "parallel-budget";
    // 80 characters: the workflow estimates the prompt at 20 tokens; with the chat format's 7 around one
    // message, 27, what the fake provider then counts.
    private static final String PROMPT = "Name the four largest planets of our solar system in order of their size, please";

    private final DevSystem system = DevSystem.shared();

    @Test
    void fourParallelTasksOfAUserWithA100TokenBudgetNeverSpendPastIt() {
        String path = "/openai/deployments/" + DEPLOYMENT + "/chat/completions";
        // The provider answers slowly and spends the prompt's 27 tokens plus the answer's whole cap.
        for (int cap : new int[] {30, 16}) {
            DevSystem.AZURE_OPENAI.stubFor(post(urlPathEqualTo(path))
                    .withRequestBody(matchingJsonPath("$.max_tokens", equalTo(String.valueOf(cap))))
                    .willReturn(answer(27, cap)));
        }
        TestUser spender = system.user(Role.USER);
        TestUser admin = system.user(Role.ADMIN);
        system.web.patch().uri("/api/v1/users/{id}", spender.id()).header(HttpHeaders.AUTHORIZATION, admin.bearer())
                .bodyValue(Map.of("dailyTokenBudget", 100))
                .exchange().expectStatus().isOk();

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add((String) system.web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, spender.bearer())
                    .bodyValue(Map.of("type", "completion", "parameters", Map.of("prompt", PROMPT,
                            "deployment", DEPLOYMENT, "maxTokens", 30)))
                    .exchange().expectStatus().isAccepted()
                    .expectBody(Map.class).returnResult().getResponseBody().get("id"));
        }

        List<Map<?, ?>> results = ids.stream().<Map<?, ?>>map(id -> ended(spender, id)).toList();
        Map<?, ?> me = system.web.get().uri("/api/v1/users/me").header(HttpHeaders.AUTHORIZATION, spender.bearer())
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        // The first call reserves 57 (its prompt and cap), the second the 43 left with its answer capped at 16;
        // the other two find nothing left and are not made.
        assertThat(((Number) me.get("tokensToday")).longValue()).isEqualTo(100);
        assertThat(results).filteredOn(result -> Boolean.TRUE.equals(result.get("success"))).hasSize(2);
        assertThat(results).filteredOn(result -> "BUDGET_EXCEEDED".equals(result.get("errorType"))).hasSize(2);
        DevSystem.AZURE_OPENAI.verify(2, postRequestedFor(urlPathEqualTo(path)));
    }

    /** The task's result, once it has one. */
    private Map<?, ?> ended(TestUser user, String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Map<?, ?> task = system.web.get().uri("/api/v1/tasks/{id}", id)
                    .header(HttpHeaders.AUTHORIZATION, user.bearer())
                    .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
            if (task.get("result") instanceof Map<?, ?> result) {
                return result;
            }
            WorkerProcess.sleep(100);
        }
        throw new AssertionError("Task " + id + " did not end in 60 s");
    }

    private static ResponseDefinitionBuilder answer(int prompt, int completion) {
        return aResponse().withHeader("Content-Type", "application/json").withFixedDelay(1_000).withBody("""
                {"id": "chatcmpl-p", "object": "chat.completion", "created": 1764150000, "model": "gpt-4o",
                 "choices": [{"index": 0, "finish_reason": "length",
                              "message": {"role": "assistant", "content": "Jupiter, Saturn"}}],
                 "usage": {"prompt_tokens": %d, "completion_tokens": %d, "total_tokens": %d}}
                """.formatted(prompt, completion, prompt + completion));
    }
}
