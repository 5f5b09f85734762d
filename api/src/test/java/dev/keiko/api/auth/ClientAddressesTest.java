package dev.keiko.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/** The client address comes from the connection; X-Forwarded-For counts only when a trusted proxy sent it. */
class ClientAddressesTest {

    @Test
    void withoutTrustedProxiesTheHeaderIsIgnored() {
        assertThat(addresses().of(request("192.0.2.10", "198.51.100.1"))).isEqualTo("192.0.2.10");
    }

    @Test
    void behindATrustedProxyTheNearestUntrustedHopIsTheClient() {
        ClientAddresses addresses = addresses("10.0.0.0/8", "::1");

        assertThat(addresses.of(request("10.1.2.3", "203.0.113.9, 198.51.100.1, 10.0.0.5")))
                .isEqualTo("198.51.100.1");
        assertThat(addresses.of(request("0:0:0:0:0:0:0:1", "2001:db8::7"))).isEqualTo("2001:db8::/64");
        assertThat(addresses.of(request("10.1.2.3"))).isEqualTo("10.1.2.3");
    }

    @Test
    void anIpv6ClientIsNamedByItsSlash64() {
        ClientAddresses addresses = addresses("10.0.0.0/8");

        assertThat(addresses.of(request("2001:db8:1:2::1"))).isEqualTo("2001:db8:1:2::/64");
        assertThat(addresses.of(request("2001:db8:1:2:ffff:ffff:ffff:fffe"))).isEqualTo("2001:db8:1:2::/64");
        assertThat(addresses.of(request("2001:db8:1:3::1"))).isEqualTo("2001:db8:1:3::/64");
        assertThat(addresses.of(request("10.1.2.3", "2001:db8:1:2:abcd::9"))).isEqualTo("2001:db8:1:2::/64");
        assertThat(addresses.of(request("::ffff:192.0.2.10"))).isEqualTo("192.0.2.10");
    }

    @Test
    void anUntrustedPeerIsTheClientWhateverItForwards() {
        assertThat(addresses("10.0.0.0/8").of(request("192.0.2.10", "10.0.0.1"))).isEqualTo("192.0.2.10");
    }

    @Test
    void hopsThatAreNoAddressAreNeverLookedUp() {
        for (String notAnAddress : new String[] {"example.com", "cafe", "999.1.1.1", "unknown"}) {
            assertThat(addresses("10.0.0.0/8").of(request("10.1.2.3", notAnAddress))).as(notAnAddress)
                    .isEqualTo("10.1.2.3");
        }
        assertThat(addresses("10.0.0.0/8").of(request("10.1.2.3", "x".repeat(5000)))).isEqualTo("10.1.2.3");
    }

    @Test
    void trustedProxiesMustBeAddressesOrRanges() {
        assertThatIllegalArgumentException().isThrownBy(() -> addresses("proxy.internal"));
        assertThatIllegalArgumentException().isThrownBy(() -> addresses("10.0.0.0/33"));
    }

    private static ClientAddresses addresses(String... trusted) {
        return new ClientAddresses(new LoginThrottleProperties(5, 20, 100, Duration.ofDays(30), Duration.ofMinutes(5),
                List.of(trusted)));
    }

    private static MockServerHttpRequest request(String peer, String... forwardedFor) {
        return MockServerHttpRequest.post("/api/v1/auth/token")
                .remoteAddress(new InetSocketAddress(peer, 40000))
                .header(ClientAddresses.FORWARDED_FOR, forwardedFor)
                .build();
    }
}
