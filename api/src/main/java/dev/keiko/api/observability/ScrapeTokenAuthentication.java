package dev.keiko.api.observability;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import reactor.core.publisher.Mono;

/**
 * Accepts the configured scrape token as the {@value #ROLE} role, compared in constant time (their SHA-256
 * digests, so that not even the token's length shows), and hands any other bearer token to {@code accessTokens}.
 * Used only on the metrics scrape: the scrape token opens nothing else.
 */
final class ScrapeTokenAuthentication implements ReactiveAuthenticationManager {

    static final String ROLE = "METRICS_SCRAPER";

    private final byte[] scrapeTokenDigest;
    private final ReactiveAuthenticationManager accessTokens;

    ScrapeTokenAuthentication(String scrapeToken, ReactiveAuthenticationManager accessTokens) {
        this.scrapeTokenDigest = scrapeToken == null ? null : digest(scrapeToken);
        this.accessTokens = accessTokens;
    }

    @Override
    public Mono<Authentication> authenticate(Authentication authentication) {
        if (scrapeTokenDigest != null && authentication instanceof BearerTokenAuthenticationToken bearer
                && MessageDigest.isEqual(scrapeTokenDigest, digest(bearer.getToken()))) {
            return Mono.just(UsernamePasswordAuthenticationToken.authenticated("metrics-scraper", null,
                    List.of(new SimpleGrantedAuthority("ROLE_" + ROLE))));
        }
        return accessTokens.authenticate(authentication);
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256", e);
        }
    }
}
