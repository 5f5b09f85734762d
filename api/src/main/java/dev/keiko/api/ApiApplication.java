package dev.keiko.api;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Keiko's REST API: submits, queries and cancels task workflows; reads the PostgreSQL read model. */
@SpringBootApplication(scanBasePackages = {"dev.keiko.api", "dev.keiko.domain"})
@ConfigurationPropertiesScan("dev.keiko")
@EnableScheduling
public class ApiApplication {

    /** The API's application builder; its settings come from {@code api.yml}. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(ApiApplication.class).properties("spring.config.name=api");
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
