package dev.keiko.embedded;

import java.util.Map;
import java.util.TreeMap;

/**
 * One embedded PostgreSQL and one Temporal dev server per JVM, started on first use on free ports
 * and stopped when the JVM exits: what the tests of every module run against.
 */
public final class EmbeddedServices {

    private static EmbeddedServices shared;

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

    /** The properties that point a Keiko process at these services. */
    public Map<String, String> properties() {
        Map<String, String> properties = new TreeMap<>(TemporalDevServer.processProperties());
        properties.put("keiko.db.url", postgres.url());
        properties.put("keiko.db.username", EmbeddedPostgresServer.USERNAME);
        properties.put("keiko.db.password", EmbeddedPostgresServer.PASSWORD);
        properties.put("spring.temporal.connection.target", temporal.target());
        return properties;
    }
}
