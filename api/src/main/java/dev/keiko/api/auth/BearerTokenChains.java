package dev.keiko.api.auth;

import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity.AuthorizeExchangeSpec;
import org.springframework.security.config.web.server.ServerHttpSecurity.OAuth2ResourceServerSpec;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;

/**
 * What every Keiko security chain shares: callers send a token with each request, so there is no CSRF, basic
 * or form login, logout, request cache or stored security context; every refusal is problem+json from
 * {@link SecurityProblems}. Each chain brings its own matcher, access rules and way of reading tokens.
 */
public final class BearerTokenChains {

    private BearerTokenChains() {
    }

    /** The chain of {@code http} (its matcher and filters already set) with these access rules and tokens. */
    public static SecurityWebFilterChain build(ServerHttpSecurity http, SecurityProblems problems,
            Customizer<AuthorizeExchangeSpec> rules, Customizer<OAuth2ResourceServerSpec> tokens) {
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(cache -> cache.disable())
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .authorizeExchange(rules)
                .oauth2ResourceServer(resourceServer -> {
                    tokens.customize(resourceServer);
                    resourceServer.authenticationEntryPoint(problems).accessDeniedHandler(problems);
                })
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems))
                .build();
    }
}
