package dev.keiko.api.auth;

import dev.keiko.domain.network.NetworkRange;
import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;

/**
 * The address a request comes from, for throttling: the connection's peer, or, when that peer is one of
 * {@code keiko.auth.login-throttle.trusted-proxies}, the nearest address in {@code X-Forwarded-For} that is
 * not a trusted proxy. Without trusted proxies the header is ignored, since any client can send it. An IPv6
 * client is named by its /64 network ({@code 2001:db8:1:2::/64}): one subscriber or host usually holds a
 * whole /64 and could otherwise take a fresh address for every guess.
 */
@Component
public class ClientAddresses {

    static final String FORWARDED_FOR = "X-Forwarded-For";
    private static final String UNKNOWN = "unknown";
    private static final int MAX_LITERAL = 45;

    private final List<NetworkRange> trustedProxies;

    ClientAddresses(LoginThrottleProperties properties) {
        this.trustedProxies = properties.trustedProxies().stream().map(NetworkRange::parse).toList();
    }

    public String of(ServerHttpRequest request) {
        InetSocketAddress peer = request.getRemoteAddress();
        if (peer == null || peer.getAddress() == null) {
            return UNKNOWN;
        }
        InetAddress address = peer.getAddress();
        if (!trusted(address)) {
            return named(address);
        }
        List<String> hops = request.getHeaders().getValuesAsList(FORWARDED_FOR);
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<InetAddress> hop = literal(hops.get(i).trim());
            if (hop.isEmpty()) {
                // Not written by a proxy we trust: the nearest trusted hop stands for the client.
                break;
            }
            address = hop.get();
            if (!trusted(address)) {
                break;
            }
        }
        return named(address);
    }

    /** The address a literal names; empty for anything else, host names included (never looked up). */
    static Optional<InetAddress> literal(String text) {
        byte[] bytes = text.length() > MAX_LITERAL ? null : NetUtil.createByteArrayFromIpAddressString(text);
        if (bytes == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static String named(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] network = Arrays.copyOf(address.getAddress(), 16);
        Arrays.fill(network, 8, 16, (byte) 0);
        return NetUtil.bytesToIpAddress(network) + "/64";
    }

    private boolean trusted(InetAddress address) {
        return trustedProxies.stream().anyMatch(range -> range.contains(address));
    }
}
