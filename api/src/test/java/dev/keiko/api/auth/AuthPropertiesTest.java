package dev.keiko.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

class AuthPropertiesTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(JwtOnly.class);

    @Test
    void aMissingSecretFailsNamingTheVariable() {
        assertThatIllegalStateException().isThrownBy(() -> properties(null).signingKey())
                .withMessageContaining("KEIKO_JWT_SECRET");
        assertThatIllegalStateException().isThrownBy(() -> properties(" ").signingKey())
                .withMessageContaining("KEIKO_JWT_SECRET");
    }

    @Test
    void aSecretShorterThan32BytesFails() {
        assertThatIllegalStateException().isThrownBy(() -> properties("x".repeat(31)).signingKey())
                .withMessageContaining("KEIKO_JWT_SECRET").withMessageContaining("31 bytes");
        assertThat(properties("x".repeat(32)).signingKey().getEncoded()).hasSize(32);
    }

    @Test
    void startUpFailsWithoutAUsableSecret() {
        context.withPropertyValues("keiko.auth.jwt-secret=too-short").run(started ->
                assertThat(started).getFailure().rootCause().hasMessageContaining("KEIKO_JWT_SECRET"));
        context.run(started ->
                assertThat(started).getFailure().rootCause().hasMessageContaining("KEIKO_JWT_SECRET"));
        context.withPropertyValues("keiko.auth.jwt-secret=" + "s".repeat(32)).run(started ->
                assertThat(started).hasNotFailed());
    }

    @Test
    void theTokenLifetimeDefaultsToAnHourAndMustBePositive() {
        assertThat(properties("s".repeat(32)).tokenTtl()).isEqualTo(Duration.ofHours(1));
        assertThatIllegalArgumentException().isThrownBy(() -> new AuthProperties(null, Duration.ZERO, null));
    }

    private static AuthProperties properties(String secret) {
        return new AuthProperties(secret, null, null);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(AuthProperties.class)
    @Import(JwtConfiguration.class)
    static class JwtOnly {
    }
}
