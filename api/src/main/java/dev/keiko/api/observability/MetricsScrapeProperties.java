package dev.keiko.api.observability;

import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Who may scrape the API's {@code /actuator/prometheus} besides admins and operators.
 *
 * @param metricsToken a token Prometheus sends as {@code Authorization: Bearer <token>}: at least 32 characters
 *     that a bearer token may hold ({@code A-Z a-z 0-9 - . _ ~ + /}, {@code =} at the end), e.g.
 *     {@code openssl rand -hex 32}; unset or blank, only admin and operator access tokens may scrape
 */
@Validated
@ConfigurationProperties("keiko.api")
public record MetricsScrapeProperties(
        @Pattern(regexp = "[A-Za-z0-9._~+/-]{32,}=*", message = "must be at least 32 characters of A-Z a-z 0-9 - . _ ~ + /")
        String metricsToken) {

    public MetricsScrapeProperties {
        // Compose passes an unset variable as an empty one.
        metricsToken = metricsToken == null || metricsToken.isBlank() ? null : metricsToken;
    }
}
