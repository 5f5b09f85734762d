package dev.keiko.api.auth;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;

/**
 * Stateless bearer-token security: every request but the token endpoint, health checks and the API's description
 * (OpenAPI, Swagger UI; read-only) needs a valid access token; user management needs the admin role on top (its
 * controller checks it again). The metrics scrape and the codec endpoints have chains of their own.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
public class SecurityConfiguration {

    @Bean
    SecurityWebFilterChain apiSecurity(ServerHttpSecurity http, ReactiveJwtDecoder decoder,
            ActiveUserTokenConverter tokenConverter, SecurityProblems problems) {
        return BearerTokenChains.build(http, problems,
                exchanges -> exchanges
                        .pathMatchers(HttpMethod.POST, "/api/v1/auth/token").permitAll()
                        .pathMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .pathMatchers(HttpMethod.GET, "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html",
                                "/webjars/swagger-ui/**").permitAll()
                        .pathMatchers("/api/v1/users/me").authenticated()
                        .pathMatchers("/api/v1/users", "/api/v1/users/**").hasRole("ADMIN")
                        .anyExchange().authenticated(),
                resourceServer -> resourceServer
                        .jwt(jwt -> jwt.jwtDecoder(decoder).jwtAuthenticationConverter(tokenConverter)));
    }
}
