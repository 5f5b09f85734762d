package dev.keiko.launcher;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * What the dev launcher starts, read from the environment: a part left unset is embedded, a part
 * set is used as it is and nothing is started for it.
 */
record DevSettings(
        boolean embeddedPostgres,
        int postgresPort,
        boolean embeddedTemporal,
        int temporalPort,
        Map<String, String> generatedSecrets,
        String generatedAdminPassword) {

    static DevSettings fromEnvironment() {
        Map<String, String> env = System.getenv();
        Map<String, String> secrets = new HashMap<>();
        if (blank(env.get("KEIKO_JWT_SECRET")) && blank(System.getProperty("keiko.auth.jwt-secret"))) {
            secrets.put("keiko.auth.jwt-secret", random(48));
        }
        if (blank(env.get("KEIKO_PAYLOADS_ENCRYPTION_KEYS"))
                && blank(System.getProperty("keiko.payloads.encryption.keys"))) {
            secrets.put("keiko.payloads.encryption.keys", "dev:" + Base64.getEncoder().encodeToString(bytes(32)));
        }
        String adminPassword = null;
        if (blank(env.get("KEIKO_ADMIN_PASSWORD")) && blank(System.getProperty("keiko.auth.admin-password"))) {
            adminPassword = random(12);
            secrets.put("keiko.auth.admin-password", adminPassword);
        }
        return new DevSettings(
                blank(env.get("KEIKO_DB_URL")) && blank(System.getProperty("keiko.db.url")),
                Integer.parseInt(env.getOrDefault("KEIKO_DEV_POSTGRES_PORT", "15432")),
                blank(env.get("SPRING_TEMPORAL_CONNECTION_TARGET"))
                        && blank(System.getProperty("spring.temporal.connection.target")),
                Integer.parseInt(env.getOrDefault("KEIKO_DEV_TEMPORAL_PORT", "7233")),
                secrets,
                adminPassword);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String random(int bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(bytes));
    }

    private static byte[] bytes(int count) {
        byte[] value = new byte[count];
        new SecureRandom().nextBytes(value);
        return value;
    }
}
