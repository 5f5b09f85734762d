package dev.keiko.domain.mcp;

import dev.keiko.domain.network.NetworkRange;
import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps HTTP MCP servers from reaching inside: a URL may not name a cloud metadata host, nor
 * resolve to loopback, link-local, private, shared (CGNAT), unspecified, multicast or reserved
 * addresses, IPv4 embedded in IPv6 included, unless {@code keiko.mcp.allowed-networks} holds the
 * address. Metadata services are refused whatever that allows.
 */
public final class McpNetworkGuard {

    /** The refusal of an address, the same whichever rule it breaks. */
    public static final String NOT_ALLOWED = "MCP server URLs may not point at an address that is not allowed"
            + " (internal, link-local or metadata)";

    private static final Logger log = LoggerFactory.getLogger(McpNetworkGuard.class);

    private static final Set<String> METADATA_HOSTS = Set.of("metadata", "metadata.google.internal", "metadata.goog",
            "instance-data", "instance-data.ec2.internal", "metadata.azure.internal", "metadata.oraclecloud.com");

    private static final List<Rule> METADATA = List.of(
            rule("169.254.169.254/32", "a cloud metadata address"),
            rule("169.254.170.2/32", "a cloud metadata address"),
            rule("100.100.100.200/32", "a cloud metadata address"),
            rule("fd00:ec2::254/128", "a cloud metadata address"));

    private static final List<Rule> INSIDE = List.of(
            rule("0.0.0.0/8", "an unspecified or 'this network' address"),
            rule("10.0.0.0/8", "a private address"),
            rule("100.64.0.0/10", "a shared (CGNAT) address"),
            rule("127.0.0.0/8", "a loopback address"),
            rule("169.254.0.0/16", "a link-local address"),
            rule("172.16.0.0/12", "a private address"),
            rule("192.0.0.0/24", "an IETF protocol address"),
            rule("192.168.0.0/16", "a private address"),
            rule("198.18.0.0/15", "a benchmarking address"),
            rule("224.0.0.0/3", "a multicast or reserved address"),
            rule("::/128", "an unspecified address"),
            rule("::1/128", "a loopback address"),
            rule("::/96", "an IPv4-compatible address"),
            rule("fc00::/7", "a private (unique local) address"),
            rule("fe80::/10", "a link-local address"),
            rule("fec0::/10", "a site-local address"),
            rule("ff00::/8", "a multicast address"));

    private final List<NetworkRange> allowed;

    /** @param allowedNetworks CIDRs that may be reached although they are inside */
    public McpNetworkGuard(List<String> allowedNetworks) {
        this.allowed = allowedNetworks.stream().map(NetworkRange::parse).toList();
    }

    /**
     * Checks a URL's host: its name, then every address it resolves to.
     *
     * @throws AddressNotAllowedException saying {@link #NOT_ALLOWED} (the rule and address go to the debug log),
     *     or that the URL names a metadata host
     * @throws UnknownHostException when the name does not resolve
     */
    public void check(URI url) throws UnknownHostException {
        String host = host(url);
        checkName(host);
        for (InetAddress address : InetAddress.getAllByName(host)) {
            try {
                check(address);
            } catch (AddressNotAllowedException e) {
                log.debug("MCP server host '{}' resolves to {}", host, address.getHostAddress());
                throw e;
            }
        }
    }

    /** Checks the host's name alone, without resolving it: metadata host names are refused. */
    public void checkName(URI url) {
        checkName(host(url));
    }

    public void check(InetAddress address) {
        for (byte[] candidate : forms(address.getAddress())) {
            for (Rule rule : METADATA) {
                if (rule.range().contains(candidate)) {
                    throw refusal(address, rule);
                }
            }
        }
        if (allowed.stream().anyMatch(range -> range.contains(address.getAddress()))) {
            return;
        }
        for (byte[] candidate : forms(address.getAddress())) {
            if (allowed.stream().anyMatch(range -> range.contains(candidate))) {
                return;
            }
            for (Rule rule : INSIDE) {
                if (rule.range().contains(candidate)) {
                    throw refusal(address, rule);
                }
            }
        }
    }

    private static String host(URI url) {
        String host = url.getHost();
        if (host == null || host.isBlank()) {
            throw new AddressNotAllowedException("MCP server URLs must name a host");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host;
    }

    private static void checkName(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        while (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        try {
            name = IDN.toASCII(name);
        } catch (IllegalArgumentException e) {
            throw new AddressNotAllowedException("MCP server URLs must name a valid host");
        }
        if (METADATA_HOSTS.contains(name)) {
            throw new AddressNotAllowedException("MCP server URLs may not name a cloud metadata host");
        }
    }

    /** The address, and the IPv4 address an IPv6 one embeds: mapped, compatible, NAT64 or 6to4. */
    private static List<byte[]> forms(byte[] address) {
        if (address.length == 4) {
            return List.of(address);
        }
        boolean firstTenZero = Arrays.equals(address, 0, 10, new byte[10], 0, 10);
        boolean mapped = firstTenZero && address[10] == (byte) 0xff && address[11] == (byte) 0xff;
        boolean compatible = firstTenZero && address[10] == 0 && address[11] == 0
                && !(address[12] == 0 && address[13] == 0 && address[14] == 0);
        boolean nat64 = Arrays.equals(address, 0, 12,
                new byte[] {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0}, 0, 12);
        if (mapped || compatible || nat64) {
            return List.of(address, Arrays.copyOfRange(address, 12, 16));
        }
        if (address[0] == 0x20 && address[1] == 0x02) {
            return List.of(address, Arrays.copyOfRange(address, 2, 6));
        }
        return List.of(address);
    }

    // Neither the rule nor the address: registering URLs must not tell what an internal name resolves to.
    private static AddressNotAllowedException refusal(InetAddress address, Rule rule) {
        log.debug("MCP server address {} is {} ({})", address.getHostAddress(), rule.what(), rule.range().cidr());
        return new AddressNotAllowedException(NOT_ALLOWED);
    }

    private static Rule rule(String cidr, String what) {
        return new Rule(NetworkRange.parse(cidr), what);
    }

    private record Rule(NetworkRange range, String what) {
    }
}
