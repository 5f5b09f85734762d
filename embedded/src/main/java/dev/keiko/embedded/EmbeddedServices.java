package dev.keiko.embedded;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * One embedded PostgreSQL and one Temporal dev server per JVM, started on first use on free ports
 * and stopped when the JVM exits: what the tests of every module run against.
 */
public final class EmbeddedServices {

    private static EmbeddedServices shared;

    /** One payload key per JVM: every process pointed at these services must read what the others wrote. */
    private static final String PAYLOAD_KEYS = "embedded:" + randomKey();

    private final EmbeddedPostgresServer postgres;
    private final TemporalDevServer temporal;

    private EmbeddedServices(EmbeddedPostgresServer postgres, TemporalDevServer temporal) {
        this.postgres = postgres;
        this.temporal = temporal;
    }

    public static synchronized EmbeddedServices shared() {
        if (shared == null) {
            EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(0);
            TemporalDevServer temporal = TemporalDevServer.start(0);
            shared = new EmbeddedServices(postgres, temporal);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                temporal.close();
                postgres.close();
            }, "embedded-services-shutdown"));
        }
        return shared;
    }

    public EmbeddedPostgresServer postgres() {
        return postgres;
    }

    public TemporalDevServer temporal() {
        return temporal;
    }

    /** The properties that point a Keiko process at these services, with the payload key they all share. */
    public Map<String, String> properties() {
        Map<String, String> properties = new TreeMap<>(TemporalDevServer.processProperties());
        properties.put("keiko.db.url", postgres.url());
        properties.put("keiko.db.username", EmbeddedPostgresServer.USERNAME);
        properties.put("keiko.db.password", EmbeddedPostgresServer.PASSWORD);
        properties.put("spring.temporal.connection.target", temporal.target());
        properties.put("keiko.payloads.encryption.keys", PAYLOAD_KEYS);
        return properties;
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
