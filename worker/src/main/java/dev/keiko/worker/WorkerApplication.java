package dev.keiko.worker;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * A Keiko worker: polls the task queue and runs task workflows and their activities. Stateless;
 * run as many as you like against one Temporal cluster and one PostgreSQL. Its web server serves only
 * actuator (health probes, Prometheus metrics) on {@code KEIKO_WORKER_PORT}.
 */
@SpringBootApplication(scanBasePackages = {"dev.keiko.worker", "dev.keiko.activities", "dev.keiko.domain"})
@ConfigurationPropertiesScan("dev.keiko")
@EnableScheduling
public class WorkerApplication {

    /** The worker's application builder; its settings come from {@code worker.yml}. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(WorkerApplication.class)
                .web(WebApplicationType.REACTIVE)
                .properties("spring.config.name=worker");
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
