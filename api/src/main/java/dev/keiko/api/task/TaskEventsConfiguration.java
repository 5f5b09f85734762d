package dev.keiko.api.task;

import dev.keiko.domain.task.TaskEventListener;
import io.r2dbc.spi.ConnectionFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class TaskEventsConfiguration {

    @Bean(destroyMethod = "close")
    TaskEventListener taskEventListener(ConnectionFactory connections, JsonMapper json) {
        return new TaskEventListener(connections, json);
    }
}
