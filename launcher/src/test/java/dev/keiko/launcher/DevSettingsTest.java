package dev.keiko.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.domain.payload.PayloadEncryptionProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevSettingsTest {

    @Test
    void theDevSystemGeneratesAPayloadKeyOnceKeepsItForItsOwnerAndReadsItOnTheNextRun(@TempDir Path dir)
            throws IOException {
        // The build runs without KEIKO_PAYLOADS_ENCRYPTION_KEYS, as a first dev start does.
        Path file = dir.resolve(".keiko/dev-payload-keys");
        String first = DevSettings.fromEnvironment(file).generatedSecrets().get("keiko.payloads.encryption.keys");
        String second = DevSettings.fromEnvironment(file).generatedSecrets().get("keiko.payloads.encryption.keys");

        assertThat(new PayloadEncryptionProperties(List.of(first)).secretKeys()).containsOnlyKeys("dev");
        assertThat(second).isEqualTo(first);
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        String elsewhere = DevSettings.fromEnvironment(dir.resolve("other/dev-payload-keys")).generatedSecrets()
                .get("keiko.payloads.encryption.keys");
        assertThat(elsewhere).isNotEqualTo(first);
    }
}
