package dev.keiko.api.codec;

import dev.keiko.api.auth.CurrentUser;
import dev.keiko.domain.user.User;
import java.time.Instant;
import java.util.List;
import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.stereotype.Component;

/**
 * Browser sign-ins for the codec endpoint: the Temporal Web UI cannot send Keiko's bearer token, but it can send
 * cookies ("include cross-origin credentials"). The cookie holds a short-lived token for the codec endpoint
 * only (audience {@value #AUDIENCE}, refused everywhere else), is HttpOnly so no script reads it, SameSite=Strict
 * so no other site's page sends it, and scoped to {@code /codec}.
 */
@Component
class CodecSessions {

    static final String COOKIE = "keiko_codec";
    static final String AUDIENCE = "keiko-codec";

    private final JwtEncoder encoder;
    private final CodecProperties properties;

    CodecSessions(JwtEncoder encoder, CodecProperties properties) {
        this.encoder = encoder;
        this.properties = properties;
    }

    ResponseCookie open(User user, ServerHttpRequest request) {
        Instant now = Instant.now();
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .subject(user.id().toString())
                .audience(List.of(AUDIENCE))
                .claim(CurrentUser.USERNAME_CLAIM, user.username())
                .claim(CurrentUser.ROLE_CLAIM, user.role().value())
                .issuedAt(now)
                .expiresAt(now.plus(properties.sessionTtl()))
                .build();
        String token = encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).type("JWT").build(),
                claims)).getTokenValue();
        return cookie(token, request).maxAge(properties.sessionTtl()).build();
    }

    ResponseCookie close(ServerHttpRequest request) {
        return cookie("", request).maxAge(0).build();
    }

    private ResponseCookie.ResponseCookieBuilder cookie(String value, ServerHttpRequest request) {
        return ResponseCookie.from(COOKIE, value)
                .path("/codec")
                .httpOnly(true)
                .sameSite("Strict")
                .secure(properties.secureCookie() || request.getSslInfo() != null);
    }
}
