package dev.keiko.api.codec;

import dev.keiko.api.auth.ClientAddresses;
import dev.keiko.api.auth.PasswordLogin;
import dev.keiko.api.auth.TokenRequest;
import jakarta.validation.Valid;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Signs a browser in for the codec endpoint: {@code GET /codec/sign-in} is a small page whose script posts the
 * username and password as JSON to {@code POST /codec/session} (the same checks and throttle as
 * {@code POST /api/v1/auth/token}), which answers with the session cookie; {@code DELETE /codec/session} signs out.
 */
@RestController
@RequestMapping("/codec")
class CodecSessionController {

    private final PasswordLogin login;
    private final ClientAddresses clientAddresses;
    private final CodecSessions sessions;
    private final CodecProperties properties;

    CodecSessionController(PasswordLogin login, ClientAddresses clientAddresses, CodecSessions sessions,
            CodecProperties properties) {
        this.login = login;
        this.clientAddresses = clientAddresses;
        this.sessions = sessions;
        this.properties = properties;
    }

    @GetMapping(path = "/sign-in", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> signInPage() {
        return ResponseEntity.ok()
                .header("Content-Security-Policy", SignInPage.CONTENT_SECURITY_POLICY)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .contentType(MediaType.TEXT_HTML)
                .body(SignInPage.HTML);
    }

    @PostMapping(path = "/session", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Map<String, Long>>> signIn(@Valid @RequestBody TokenRequest request, ServerHttpRequest http) {
        return login.authenticate(request.username(), request.password(), clientAddresses.of(http))
                .map(user -> ResponseEntity.ok()
                        .header(HttpHeaders.SET_COOKIE, sessions.open(user, http).toString())
                        .body(Map.of("expiresIn", properties.sessionTtl().toSeconds())));
    }

    @DeleteMapping("/session")
    ResponseEntity<Void> signOut(ServerHttpRequest http) {
        return ResponseEntity.noContent().header(HttpHeaders.SET_COOKIE, sessions.close(http).toString()).build();
    }
}
