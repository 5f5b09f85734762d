package dev.keiko.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.domain.payload.PayloadEncryptionProperties;
import java.util.List;
import org.junit.jupiter.api.Test;

class DevSettingsTest {

    @Test
    void theDevSystemGeneratesAPayloadKeyWhenNoneIsConfigured() {
        // The build runs without KEIKO_PAYLOADS_ENCRYPTION_KEYS, as a first dev start does.
        String first = DevSettings.fromEnvironment().generatedSecrets().get("keiko.payloads.encryption.keys");
        String second = DevSettings.fromEnvironment().generatedSecrets().get("keiko.payloads.encryption.keys");

        assertThat(new PayloadEncryptionProperties(List.of(first)).secretKeys()).containsOnlyKeys("dev");
        assertThat(second).isNotEqualTo(first);
    }
}
