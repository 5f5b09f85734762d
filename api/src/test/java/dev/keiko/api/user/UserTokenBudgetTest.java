package dev.keiko.api.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.api.ApiTestSupport;
import dev.keiko.api.auth.ProblemBody;
import dev.keiko.domain.budget.TokenUsageStore;
import dev.keiko.domain.task.NewTask;
import dev.keiko.domain.task.TaskPriority;
import dev.keiko.domain.task.TaskStore;
import dev.keiko.domain.user.Role;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

/** Admins set and clear a user's daily token budget; everyone sees what they spent today. */
class UserTokenBudgetTest extends ApiTestSupport {

    @Autowired
    TaskStore tasks;

    @Autowired
    TokenUsageStore tokenUsage;

    @Autowired
    JsonMapper json;

    private TestUser admin;

    @BeforeEach
    void signInAsAdmin() {
        admin = createUser(Role.ADMIN);
    }

    @Test
    void aBudgetIsSetKeptWhenAbsentAndClearedWithNull() {
        TestUser user = createUser(Role.USER);

        UserView set = change(user.id(), Map.of("dailyTokenBudget", 50_000));
        UserView kept = change(user.id(), Map.of("role", "operator"));
        Map<String, Object> clear = new HashMap<>();
        clear.put("dailyTokenBudget", null);
        UserView cleared = change(user.id(), clear);

        assertThat(set.dailyTokenBudget()).isEqualTo(50_000L);
        assertThat(kept.dailyTokenBudget()).isEqualTo(50_000L);
        assertThat(kept.role()).isEqualTo("operator");
        assertThat(cleared.dailyTokenBudget()).isNull();
        assertThat(cleared.role()).isEqualTo("operator");
    }

    @Test
    void aBudgetMustBePositive() {
        UUID user = createUser(Role.USER).id();

        for (Object budget : new Object[] {0, -5}) {
            ProblemBody problem = ProblemBody.expect(
                    patch(admin.token(), user, Map.of("dailyTokenBudget", budget)), 400);
            assertThat(problem.detail()).as("budget %s", budget).contains("'dailyTokenBudget'");
        }
        ProblemBody.expect(patch(admin.token(), user, Map.of("dailyTokenBudget", "lots")), 400);
    }

    @Test
    void onlyAdminsSetBudgets() {
        TestUser operator = createUser(Role.OPERATOR);

        ProblemBody.expect(patch(operator.token(), operator.id(), Map.of("dailyTokenBudget", 1_000)), 403);
    }

    @Test
    void usersSeeWhatTheySpentToday() {
        TestUser user = createUser(Role.USER);
        change(user.id(), Map.of("dailyTokenBudget", 10_000));
        UUID task = tasks.insert(new NewTask(user.id(), "completion", json.valueToTree(Map.of("prompt", "hi")),
                TaskPriority.NORMAL, 60, null, null)).block().task().id();
        tokenUsage.record(task, 1, "gpt-4o", 300, 120, 420).block();
        tokenUsage.record(task, 2, "gpt-4o", 50, 30, 80).block();

        UserView me = get(user.token(), "/api/v1/users/me");
        UserView asAdminSees = get(admin.token(), "/api/v1/users/" + user.id());

        assertThat(me.tokensToday()).isEqualTo(500L);
        assertThat(me.dailyTokenBudget()).isEqualTo(10_000L);
        assertThat(asAdminSees).isEqualTo(me);
        assertThat(get(admin.token(), "/api/v1/users/" + admin.id()).tokensToday()).isZero();
    }

    @Test
    void listsLeaveTodaysSpendingOut() {
        String list = new String(web.get().uri("/api/v1/users").headers(h -> h.setBearerAuth(admin.token()))
                .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBodyContent());

        assertThat(list).contains("\"dailyTokenBudget\"").doesNotContain("tokensToday");
    }

    private UserView change(UUID id, Map<String, Object> body) {
        return patch(admin.token(), id, body).expectStatus().isOk()
                .expectBody(UserView.class).returnResult().getResponseBody();
    }

    private UserView get(String token, String path) {
        return web.get().uri(path).headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isOk().expectBody(UserView.class).returnResult().getResponseBody();
    }

    private WebTestClient.ResponseSpec patch(String token, UUID id, Map<String, Object> body) {
        return web.patch().uri("/api/v1/users/{id}", id).headers(h -> h.setBearerAuth(token))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }
}
