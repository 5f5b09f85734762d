package dev.keiko.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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

    /**
     * Where the dev system keeps the payload key it generated, readable by its owner only and ignored by git,
     * so that the next run reads what this one wrote and added workers can be given the same key.
     */
    static final Path DEV_PAYLOAD_KEYS = Path.of(".keiko", "dev-payload-keys");

    static DevSettings fromEnvironment() {
        return fromEnvironment(DEV_PAYLOAD_KEYS);
    }

    static DevSettings fromEnvironment(Path devPayloadKeys) {
        Map<String, String> env = System.getenv();
        Map<String, String> secrets = new HashMap<>();
        if (blank(env.get("KEIKO_JWT_SECRET")) && blank(System.getProperty("keiko.auth.jwt-secret"))) {
            secrets.put("keiko.auth.jwt-secret", random(48));
        }
        if (blank(env.get("KEIKO_PAYLOADS_ENCRYPTION_KEYS"))
                && blank(System.getProperty("keiko.payloads.encryption.keys"))) {
            secrets.put("keiko.payloads.encryption.keys", devPayloadKeys(devPayloadKeys));
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

    /** The dev system's payload key from {@code file}, generated into it (owner-only) on the first run. */
    static String devPayloadKeys(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                String generated = "dev:" + Base64.getEncoder().encodeToString(bytes(32));
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, generated + "\n", StandardCharsets.US_ASCII);
                } catch (FileAlreadyExistsException startedAtTheSameTime) {
                    // Another launcher wrote it first: read theirs.
                }
            }
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not keep the dev payload key in " + file.toAbsolutePath(), e);
        }
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
