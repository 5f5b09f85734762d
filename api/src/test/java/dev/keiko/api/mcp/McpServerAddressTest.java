package dev.keiko.api.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.api.ApiTestSupport;
import dev.keiko.api.auth.ProblemBody;
import dev.keiko.domain.mcp.McpNetworkGuard;
import dev.keiko.domain.user.Role;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/** Without {@code keiko.mcp.allowed-networks}, no registered URL may point inside; refusals store nothing. */
class McpServerAddressTest extends ApiTestSupport {

    private static final String METADATA_HOST = "MCP server URLs may not name a cloud metadata host";

    @Test
    void urlsPointingInsideAnswer422WithoutTheRangeOrAddress() {
        String token = "Bearer " + createUser(Role.OPERATOR).token();
        Map<String, String> refused = Map.ofEntries(
                Map.entry("http://127.0.0.1:8080/mcp", McpNetworkGuard.NOT_ALLOWED),
                Map.entry("http://localhost:8080/mcp", McpNetworkGuard.NOT_ALLOWED),
                Map.entry("http://[::1]/mcp", McpNetworkGuard.NOT_ALLOWED),
                Map.entry("http://10.0.0.5/mcp", McpNetworkGuard.NOT_ALLOWED),
                Map.entry("http://172.20.1.1/mcp", McpNetworkGuard.NOT_ALLOWED),
                Map.entry("http://192.168.0.10/mcp", McpNetworkGuard.NOT_ALLOWED),
                Map.entry("http://100.64.1.1/mcp", McpNetworkGuard.NOT_ALLOWED),
                Map.entry("http://169.254.10.10/mcp", McpNetworkGuard.NOT_ALLOWED),
                Map.entry("http://169.254.169.254/latest/meta-data/", McpNetworkGuard.NOT_ALLOWED),
                Map.entry("http://100.100.100.200/", McpNetworkGuard.NOT_ALLOWED),
                Map.entry("http://[fd00:ec2::254]/", McpNetworkGuard.NOT_ALLOWED),
                Map.entry("http://[fe80::1]/mcp", McpNetworkGuard.NOT_ALLOWED),
                Map.entry("http://[fc00::1]/mcp", McpNetworkGuard.NOT_ALLOWED),
                Map.entry("http://0.0.0.0:3001/mcp", McpNetworkGuard.NOT_ALLOWED),
                Map.entry("http://[::]/mcp", McpNetworkGuard.NOT_ALLOWED),
                Map.entry("http://[::ffff:10.0.0.1]/mcp", McpNetworkGuard.NOT_ALLOWED),
                Map.entry("http://[::ffff:169.254.169.254]/", McpNetworkGuard.NOT_ALLOWED),
                Map.entry("http://metadata.google.internal/computeMetadata/v1/", METADATA_HOST),
                Map.entry("http://Metadata/", METADATA_HOST),
                Map.entry("http://instance-data/latest/", METADATA_HOST));
        refused.forEach((url, detail) -> {
            String name = "s-" + UUID.randomUUID().toString().substring(0, 8);
            ProblemBody problem = ProblemBody.expect(web.post().uri("/api/v1/mcp/servers")
                    .header(HttpHeaders.AUTHORIZATION, token)
                    .bodyValue(Map.of("name", name, "url", url)).exchange(), 422);
            assertThat(problem.detail()).as(url).isEqualTo(detail);
            ProblemBody.expect(web.get().uri("/api/v1/mcp/servers/{name}", name)
                    .header(HttpHeaders.AUTHORIZATION, token).exchange(), 404);
        });
    }

    @Test
    void publicUrlsAreRegistered() {
        String token = "Bearer " + createUser(Role.OPERATOR).token();
        for (String url : List.of("https://93.184.215.14/mcp", "http://[2606:4700:4700::1111]:8080/mcp")) {
            web.post().uri("/api/v1/mcp/servers").header(HttpHeaders.AUTHORIZATION, token)
                    .bodyValue(Map.of("name", "s-" + UUID.randomUUID().toString().substring(0, 8), "url", url))
                    .exchange().expectStatus().isCreated();
        }
    }
}
