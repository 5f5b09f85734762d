package dev.keiko.activities.mcp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.stream.Stream;

/**
 * The activities test JVM's name resolver: {@value #NAME} resolves to whatever a test last set, as a
 * DNS name under an attacker's control would; every other name goes to the built-in resolver.
 * Registered in {@code META-INF/services}; the JVM's DNS cache is off in this module's tests
 * ({@code networkaddress.cache.ttl=0}) so a change is seen at once.
 */
public final class RebindingResolverProvider extends InetAddressResolverProvider {

    public static final String NAME = "rebind.keiko.test";

    private static volatile InetAddress target = InetAddress.getLoopbackAddress();

    /** Points {@value #NAME} at {@code address} from the next lookup on. */
    public static void pointAt(InetAddress address) {
        target = address;
    }

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                if (NAME.equalsIgnoreCase(host)) {
                    InetAddress current = target;
                    return Stream.of(InetAddress.getByAddress(NAME, current.getAddress()));
                }
                return builtin.lookupByName(host, policy);
            }

            @Override
            public String lookupByAddress(byte[] address) throws UnknownHostException {
                return builtin.lookupByAddress(address);
            }
        };
    }

    @Override
    public String name() {
        return "keiko-rebinding-test-resolver";
    }
}
