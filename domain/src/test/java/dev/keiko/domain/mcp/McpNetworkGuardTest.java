package dev.keiko.domain.mcp;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Which URLs an HTTP MCP server may have; no name here needs DNS beyond {@code localhost}. */
class McpNetworkGuardTest {

    private final McpNetworkGuard closed = new McpNetworkGuard(List.of());
    private final McpNetworkGuard loopbackAllowed = new McpNetworkGuard(List.of("127.0.0.0/8", "::1/128"));

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.8.9.10", "localhost", "10.1.2.3", "172.16.5.4", "172.31.255.255",
            "192.168.1.1", "169.254.1.1", "169.254.169.254", "100.64.0.1", "100.100.100.200", "0.0.0.0", "[::]",
            "[::1]", "[fe80::1]", "[fc00::1]", "[fd12:3456::1]", "[fd00:ec2::254]", "[::ffff:10.0.0.1]",
            "[::ffff:127.0.0.1]", "[::ffff:169.254.169.254]", "[::ffff:a9fe:a9fe]", "[64:ff9b::a00:1]",
            "[2002:a00:1::]", "[::10.0.0.1]", "224.0.0.1", "255.255.255.255", "metadata.google.internal",
            "METADATA.Google.Internal.", "metadata", "instance-data"})
    void insideAddressesAndMetadataHostsAreRefused(String host) {
        assertThatThrownBy(() -> closed.check(URI.create("http://" + host + ":8080/mcp")))
                .isInstanceOf(AddressNotAllowedException.class)
                .hasMessageContaining("may not");
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.215.14", "8.8.8.8", "172.32.0.1", "100.128.0.1", "[2606:4700:4700::1111]",
            "[::ffff:8.8.8.8]"})
    void publicAddressesAreAllowed(String host) {
        assertThatCode(() -> closed.check(URI.create("https://" + host + "/mcp"))).doesNotThrowAnyException();
    }

    @Test
    void theRefusalNamesNeitherTheRangeNorTheAddress() {
        for (String host : List.of("10.0.0.7", "169.254.169.254", "localhost", "[fd00:ec2::254]", "[fe80::1]")) {
            assertThatThrownBy(() -> closed.check(URI.create("http://" + host + "/mcp"))).as(host)
                    .hasMessage("MCP server URLs may not point at an address that is not allowed"
                            + " (internal, link-local or metadata)");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "localhost", "[::1]", "[::ffff:127.0.0.1]"})
    void allowedNetworksOpenLoopback(String host) {
        assertThatCode(() -> loopbackAllowed.check(URI.create("http://" + host + ":3001/mcp")))
                .doesNotThrowAnyException();
    }

    @Test
    void allowedNetworksNeverOpenMetadataServices() {
        McpNetworkGuard linkLocalAllowed = new McpNetworkGuard(List.of("169.254.0.0/16", "fd00::/8", "100.64.0.0/10"));
        assertThatCode(() -> linkLocalAllowed.check(URI.create("http://169.254.10.1/mcp"))).doesNotThrowAnyException();
        for (String host : List.of("169.254.169.254", "[fd00:ec2::254]", "100.100.100.200", "metadata.google.internal")) {
            assertThatThrownBy(() -> linkLocalAllowed.check(URI.create("http://" + host + "/")))
                    .isInstanceOf(AddressNotAllowedException.class);
        }
        assertThatThrownBy(() -> loopbackAllowed.check(URI.create("http://10.0.0.1/")))
                .isInstanceOf(AddressNotAllowedException.class);
    }

    @Test
    void allowedNetworksMustBeCidrs() {
        for (String bad : List.of("example.com/8", "10.0.0.0/33", "::1/129", "10.0.0.0/x")) {
            assertThatThrownBy(() -> new McpNetworkGuard(List.of(bad))).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
