package dev.keiko.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The retired {@code failures-per-username} fails start-up in any spelling instead of being ignored. */
class RetiredLoginThrottleSettingsTest {

    private final ApplicationContextRunner context =
            new ApplicationContextRunner().withBean(RetiredLoginThrottleSettings.class);

    @Test
    void theRetiredPropertyFailsStartUpNamingItsSuccessor() {
        context.withPropertyValues("keiko.auth.login-throttle.failures-per-username=5").run(started ->
                assertThat(started).getFailure().rootCause()
                        .hasMessageContaining(RetiredLoginThrottleSettings.RETIRED)
                        .hasMessageContaining(RetiredLoginThrottleSettings.SUCCESSOR));
    }

    @Test
    void theRetiredEnvironmentVariableFailsStartUp() {
        context.withInitializer(started -> started.getEnvironment().getPropertySources().addFirst(
                        new SystemEnvironmentPropertySource("test-systemEnvironment",
                                Map.of("KEIKO_AUTH_LOGIN_THROTTLE_FAILURES_PER_USERNAME", "5"))))
                .run(started -> assertThat(started).getFailure().rootCause()
                        .hasMessageContaining("KEIKO_AUTH_LOGIN_THROTTLE_FAILURES_PER_USERNAME_EVERYWHERE"));
    }

    @Test
    void theCurrentPropertiesStartUp() {
        context.withPropertyValues("keiko.auth.login-throttle.failures-per-username-everywhere=5",
                        "keiko.auth.login-throttle.failures-per-username-and-address=3")
                .withInitializer(started -> started.getEnvironment().getPropertySources().addFirst(
                        new SystemEnvironmentPropertySource("test-systemEnvironment", Map.of(
                                "KEIKO_AUTH_LOGIN_THROTTLE_FAILURES_PER_USERNAME_EVERYWHERE", "5",
                                "KEIKO_AUTH_LOGIN_THROTTLE_FAILURES_PER_USERNAME_AND_ADDRESS", "3"))))
                .run(started -> assertThat(started).hasNotFailed());
    }
}
