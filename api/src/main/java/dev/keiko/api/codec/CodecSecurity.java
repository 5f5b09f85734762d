package dev.keiko.api.codec;

import dev.keiko.api.auth.ActiveUserTokenConverter;
import dev.keiko.api.auth.AuthProperties;
import dev.keiko.api.auth.BearerTokenChains;
import dev.keiko.api.auth.SecurityProblems;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.server.authentication.ServerBearerTokenAuthenticationConverter;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Security of {@code /codec/**}, ahead of the API's chain: the codec endpoints take an access token as a bearer
 * header (the CLI) or the codec session cookie (the Web UI in a browser); CORS lets only
 * {@code keiko.codec.allowed-origins} call them, with credentials. Session tokens are refused everywhere else.
 */
@Configuration(proxyBeanMethods = false)
class CodecSecurity {

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityWebFilterChain codecSecurityChain(ServerHttpSecurity http, AuthProperties auth, CodecProperties codec,
            ActiveUserTokenConverter tokenConverter, SecurityProblems problems, JsonMapper json) {
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withSecretKey(auth.signingKey())
                .macAlgorithm(MacAlgorithm.HS256).build();
        decoder.setJwtValidator(JwtValidators.createDefaultWithValidators(
                List.of(new JwtClaimValidator<Instant>(JwtClaimNames.EXP, Objects::nonNull))));
        http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/codec", "/codec/**"))
                .addFilterAt(new CodecCors(codec, json), SecurityWebFiltersOrder.CORS);
        return BearerTokenChains.build(http, problems,
                exchanges -> exchanges
                        .pathMatchers(HttpMethod.GET, "/codec/sign-in").permitAll()
                        .pathMatchers(HttpMethod.POST, "/codec/session").permitAll()
                        .pathMatchers(HttpMethod.DELETE, "/codec/session").permitAll()
                        .pathMatchers(HttpMethod.POST, "/codec/decode", "/codec/encode").authenticated()
                        .anyExchange().denyAll(),
                resourceServer -> resourceServer
                        .bearerTokenConverter(new HeaderOrSessionCookie())
                        .jwt(jwt -> jwt.jwtDecoder(decoder).jwtAuthenticationConverter(tokenConverter)));
    }

    /** The {@code Authorization} header when there is one, else the session cookie on the codec operations. */
    private static final class HeaderOrSessionCookie extends ServerBearerTokenAuthenticationConverter {

        private static final Set<String> OPERATIONS = Set.of("/codec/decode", "/codec/encode");

        @Override
        public Mono<Authentication> convert(ServerWebExchange exchange) {
            if (exchange.getRequest().getHeaders().containsHeader(HttpHeaders.AUTHORIZATION)) {
                return super.convert(exchange);
            }
            var request = exchange.getRequest();
            HttpCookie cookie = request.getCookies().getFirst(CodecSessions.COOKIE);
            if (cookie == null || cookie.getValue().isBlank() || request.getMethod() != HttpMethod.POST
                    || !OPERATIONS.contains(request.getPath().pathWithinApplication().value())) {
                return Mono.empty();
            }
            return Mono.just(new BearerTokenAuthenticationToken(cookie.getValue()));
        }
    }
}
