package dev.keiko.api.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.api.ConfiguredTestSupport;
import dev.keiko.api.auth.ProblemBody;
import dev.keiko.domain.user.Role;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A server's allow-list and roles, from configuration, hold at submission: a tool outside the list
 * answers 422, a server the role may not use 403, and neither stores or starts anything.
 */
class ToolPolicySubmissionTest extends ConfiguredTestSupport {

    @Test
    void aToolTaskNamingAToolOutsideTheAllowListAnswers422() {
        TestUser user = createUser(Role.USER);

        ProblemBody problem = ProblemBody.expect(submit(user, tool("limited", "get-env")), 422);

        assertThat(problem.detail()).isEqualTo("Tool 'get-env' of MCP server 'limited' is not allowed for tasks;"
                + " allowed: echo, get-sum");
        assertNothingStored(user);
    }

    @Test
    void aServerTheRoleMayNotUseAnswers403() {
        TestUser user = createUser(Role.USER);

        assertThat(ProblemBody.expect(submit(user, tool("staff-only", "echo")), 403).detail())
                .isEqualTo("Role 'user' may not use MCP server 'staff-only' in tasks");
        ProblemBody.expect(submit(user, agent(List.of("limited/echo", "staff-only"))), 403);
        assertNothingStored(user);
    }

    @Test
    void anAgentNamingAToolOutsideTheAllowListAnswers422() {
        TestUser user = createUser(Role.USER);

        assertThat(ProblemBody.expect(submit(user, agent(List.of("limited/echo", "limited/get-env"))), 422)
                .detail()).contains("'get-env'").contains("not allowed");
        assertNothingStored(user);
    }

    @Test
    void anAgentNamingAWholeServerAndAllowedToolsIsAccepted() {
        submit(createUser(Role.USER), agent(List.of("limited", "limited/get-sum"))).expectStatus().isAccepted();
        submit(createUser(Role.OPERATOR), agent(List.of("staff-only"))).expectStatus().isAccepted();
    }

    @Test
    void anAllowedToolPassesThePolicy() {
        // No worker lists the tools here: the check of the tool's existence gives way after the lookup timeout.
        submit(createUser(Role.USER), tool("limited", "echo")).expectStatus().isAccepted();
        submit(createUser(Role.ADMIN), tool("staff-only", "get-env")).expectStatus().isAccepted();
    }

    private static Map<String, Object> tool(String server, String tool) {
        return Map.of("type", "tool", "parameters", Map.of("server", server, "tool", tool));
    }

    private static Map<String, Object> agent(List<String> tools) {
        return Map.of("type", "agent", "parameters", Map.of("goal", "add numbers", "tools", tools));
    }

    private WebTestClient.ResponseSpec submit(TestUser user, Map<String, Object> body) {
        return web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, "Bearer " + user.token())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private void assertNothingStored(TestUser user) {
        Map<?, ?> page = web.get().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, "Bearer " + user.token())
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat((List<?>) page.get("items")).isEmpty();
    }
}
