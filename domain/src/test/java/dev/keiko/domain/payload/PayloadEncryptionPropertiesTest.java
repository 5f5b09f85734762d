package dev.keiko.domain.payload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** How a process reads its payload keys at start-up, from one comma-separated setting. */
class PayloadEncryptionPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(PayloadEncryptionProperties.class)
    static class Keys {
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Keys.class);

    @Test
    void startUpFailsWithoutAKeyNamingTheSetting() {
        context.run(started -> assertThat(started).getFailure().rootCause()
                .hasMessageContaining("KEIKO_PAYLOADS_ENCRYPTION_KEYS"));
    }

    @Test
    void startUpFailsOnAnInvalidKeyWithoutShowingIt() {
        String duplicate = TestKeys.entry("same");
        context.withPropertyValues("keiko.payloads.encryption.keys=" + duplicate + "," + duplicate)
                .run(started -> assertThat(started).getFailure().rootCause()
                        .hasMessageContaining("'same'").hasMessageNotContaining(duplicate.substring(5)));
    }

    @Test
    void commaSeparatedKeysAreReadInOrderTheFirstEncrypting() {
        String current = TestKeys.entry("2026-12");
        String previous = TestKeys.entry("2026-06");
        context.withPropertyValues("keiko.payloads.encryption.keys=" + current + ", " + previous)
                .run(started -> assertThat(started.getBean(PayloadEncryptionProperties.class).secretKeys().keySet())
                        .containsExactly("2026-12", "2026-06"));
    }
}
