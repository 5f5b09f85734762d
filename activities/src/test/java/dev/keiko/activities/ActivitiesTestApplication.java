package dev.keiko.activities;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication(scanBasePackages = {"dev.keiko.activities", "dev.keiko.domain"})
@ConfigurationPropertiesScan("dev.keiko")
public class ActivitiesTestApplication {
}
