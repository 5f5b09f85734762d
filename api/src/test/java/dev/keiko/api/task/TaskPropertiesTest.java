package dev.keiko.api.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class TaskPropertiesTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(TasksOnly.class);

    @Test
    void theExecutionGraceDefaultsToFiveMinutes() {
        context.run(started -> assertThat(started.getBean(TaskProperties.class).executionGrace())
                .isEqualTo(Duration.ofMinutes(5)));
    }

    @Test
    void anExecutionGraceOutsideThirtySecondsToADayFailsStartUp() {
        for (String grace : new String[] {"29s", "0s", "-5m", "25h"}) {
            context.withPropertyValues("keiko.tasks.execution-grace=" + grace).run(started ->
                    assertThat(started).getFailure().rootCause().hasMessageContaining("keiko.tasks.execution-grace"));
        }
        context.withPropertyValues("keiko.tasks.execution-grace=30s").run(started -> assertThat(started).hasNotFailed());
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(TaskProperties.class)
    static class TasksOnly {
    }
}
