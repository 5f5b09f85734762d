package dev.keiko.api.observability;

import dev.keiko.api.auth.ActiveUserTokenConverter;
import dev.keiko.api.auth.BearerTokenChains;
import dev.keiko.api.auth.SecurityProblems;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtReactiveAuthenticationManager;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import reactor.core.publisher.Mono;

/**
 * Security of the API's {@code /actuator/prometheus}, ahead of the API's chain: its meters name MCP servers,
 * tools and deployments and show failure volumes, so a scrape needs an access token of an admin or an operator,
 * or the configured scrape token ({@code keiko.api.metrics-token}); no token or a bad one answers 401, another
 * role 403, both as problem+json. Health probes stay public, and the worker's own port, which compose does not
 * publish, serves its scrape without a token.
 */
@Configuration(proxyBeanMethods = false)
class MetricsScrapeSecurity {

    static final String SCRAPE_PATH = "/actuator/prometheus";

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 1)
    SecurityWebFilterChain metricsScrapeChain(ServerHttpSecurity http, ReactiveJwtDecoder decoder,
            ActiveUserTokenConverter tokenConverter, SecurityProblems problems, MetricsScrapeProperties properties) {
        JwtReactiveAuthenticationManager accessTokens = new JwtReactiveAuthenticationManager(decoder);
        accessTokens.setJwtAuthenticationConverter(tokenConverter);
        var authentication = new ScrapeTokenAuthentication(properties.metricsToken(), accessTokens);
        http.securityMatcher(ServerWebExchangeMatchers.pathMatchers(SCRAPE_PATH));
        return BearerTokenChains.build(http, problems,
                exchanges -> exchanges.anyExchange()
                        .hasAnyRole("ADMIN", "OPERATOR", ScrapeTokenAuthentication.ROLE),
                resourceServer -> resourceServer
                        .authenticationManagerResolver(exchange -> Mono.just(authentication)));
    }
}
