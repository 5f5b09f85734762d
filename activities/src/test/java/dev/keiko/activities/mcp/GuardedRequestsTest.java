package dev.keiko.activities.mcp;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keiko.domain.mcp.AddressNotAllowedException;
import dev.keiko.domain.mcp.McpNetworkGuard;
import io.modelcontextprotocol.common.McpTransportContext;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Requests of a server may only go to its registered origin. */
class GuardedRequestsTest {

    private final GuardedRequests requests = new GuardedRequests("origin", URI.create("http://127.0.0.1:8080"),
            new McpNetworkGuard(List.of("127.0.0.0/8")), Map.of());

    @Test
    void aRequestToAnotherOriginIsRefused() {
        for (String uri : List.of("http://127.0.0.1:8081/message", "https://127.0.0.1:8080/message",
                "http://example.com:8080/message", "http://user@127.0.0.1:8080/message")) {
            assertThatThrownBy(() -> requests.customize(HttpRequest.newBuilder(), "POST", URI.create(uri), "{}",
                    McpTransportContext.EMPTY)).as(uri).isInstanceOf(AddressNotAllowedException.class);
        }
    }
}
