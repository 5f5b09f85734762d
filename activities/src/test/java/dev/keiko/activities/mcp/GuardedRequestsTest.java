package dev.keiko.activities.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keiko.domain.mcp.AddressNotAllowedException;
import dev.keiko.domain.mcp.McpNetworkGuard;
import io.modelcontextprotocol.common.McpTransportContext;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Requests of a server may only go to its registered origin, checked off the thread that asks. */
class GuardedRequestsTest {

    private final GuardedRequests requests = new GuardedRequests("origin", URI.create("http://127.0.0.1:8080"),
            new McpNetworkGuard(List.of("127.0.0.0/8")), Map.of("X-Api-Key", "k"));

    @Test
    void aRequestToAnotherOriginIsRefused() {
        for (String uri : List.of("http://127.0.0.1:8081/message", "https://127.0.0.1:8080/message",
                "http://example.com:8080/message", "http://user@127.0.0.1:8080/message")) {
            assertThatThrownBy(() -> customized(uri).block()).as(uri)
                    .isInstanceOf(AddressNotAllowedException.class);
        }
    }

    @Test
    void theLookupRunsOnABoundedElasticThreadAndTheHeadersAreAdded() {
        String thread = customized("http://127.0.0.1:8080/mcp").map(request -> Thread.currentThread().getName())
                .block();
        HttpRequest request = customized("http://127.0.0.1:8080/mcp").block().build();

        assertThat(thread).startsWith("boundedElastic-");
        assertThat(request.headers().firstValue("X-Api-Key")).hasValue("k");
    }

    @Test
    void anAddressOutsideTheAllowedNetworksIsRefusedAsThePublishersError() {
        GuardedRequests inside = new GuardedRequests("inside", URI.create("http://10.0.0.1:8080"),
                new McpNetworkGuard(List.of("127.0.0.0/8")), Map.of());
        URI uri = URI.create("http://10.0.0.1:8080/mcp");

        Mono<HttpRequest.Builder> refused = Mono.from(inside.customize(HttpRequest.newBuilder(uri), "POST", uri, "{}",
                McpTransportContext.EMPTY));

        assertThatThrownBy(refused::block).isInstanceOf(AddressNotAllowedException.class);
    }

    private Mono<HttpRequest.Builder> customized(String uri) {
        return Mono.from(requests.customize(HttpRequest.newBuilder(URI.create(uri)), "POST", URI.create(uri), "{}",
                McpTransportContext.EMPTY));
    }
}
