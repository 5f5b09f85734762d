package dev.keiko.api.auth;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** An IPv4 or IPv6 address or CIDR range, such as {@code 10.0.0.0/8} or {@code ::1}; literals only, never DNS. */
record AddressRange(byte[] network, int prefixLength) {

    private static final int MAX_LITERAL = 45;

    static AddressRange parse(String range) {
        int slash = range.indexOf('/');
        String address = slash < 0 ? range : range.substring(0, slash);
        byte[] network = literal(address).orElseThrow(() -> new IllegalArgumentException(
                "Not an IP address or CIDR range: '" + range + "'")).getAddress();
        int prefix = slash < 0 ? network.length * 8 : Integer.parseInt(range.substring(slash + 1));
        if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("Bad prefix length in '" + range + "'");
        }
        return new AddressRange(network, prefix);
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

    boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != network.length) {
            return false;
        }
        int whole = prefixLength / 8;
        for (int i = 0; i < whole; i++) {
            if (bytes[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xFF << (8 - rest) & 0xFF;
        return (bytes[whole] & mask) == (network[whole] & mask);
    }
}
