package dev.keiko.api.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.api.ApiTestSupport;
import dev.keiko.api.auth.ProblemBody;
import dev.keiko.domain.user.Role;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/**
 * The API's Prometheus scrape names MCP servers, tools and deployments: it needs an admin's or an operator's
 * access token, or the configured scrape token, which opens nothing else. Health stays public.
 */
class MetricsScrapeTest extends ApiTestSupport {

    @Test
    void aScrapeWithoutATokenIsRefusedWith401() {
        ProblemBody problem = ProblemBody.expect(web.get().uri("/actuator/prometheus").exchange(), 401);
        assertThat(problem.instance()).isEqualTo("/actuator/prometheus");
        web.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    }

    @Test
    void aUsersOrAViewersTokenIsRefusedWith403() {
        for (Role role : new Role[] {Role.USER, Role.VIEWER}) {
            ProblemBody.expect(web.get().uri("/actuator/prometheus")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + createUser(role).token()).exchange(), 403);
        }
    }

    @Test
    void anOperatorOrAnAdminScrapes() {
        for (String token : new String[] {createUser(Role.OPERATOR).token(), admin().token()}) {
            assertThat(scrape("Bearer " + token)).contains("# TYPE").contains("jvm_");
        }
    }

    @Test
    void theConfiguredScrapeTokenScrapes() {
        assertThat(scrape("Bearer " + METRICS_TOKEN)).contains("# TYPE").contains("jvm_");
    }

    @Test
    void aWrongScrapeTokenIsRefusedWith401() {
        for (String wrong : new String[] {METRICS_TOKEN + "x", METRICS_TOKEN.substring(1), "x"}) {
            ProblemBody.expect(web.get().uri("/actuator/prometheus")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + wrong).exchange(), 401);
        }
    }

    @Test
    void theScrapeTokenOpensNothingElse() {
        for (String path : new String[] {"/api/v1/tasks", "/api/v1/users/me", "/api/v1/mcp/servers"}) {
            ProblemBody.expect(web.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + METRICS_TOKEN)
                    .exchange(), 401);
        }
    }

    private String scrape(String authorization) {
        return web.get().uri("/actuator/prometheus").header(HttpHeaders.AUTHORIZATION, authorization)
                .accept(MediaType.TEXT_PLAIN).exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
    }
}
