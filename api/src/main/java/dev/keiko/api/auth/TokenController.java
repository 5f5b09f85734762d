package dev.keiko.api.auth;

import jakarta.validation.Valid;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Exchanges a username and password for an access token. */
@RestController
@RequestMapping("/api/v1/auth")
public class TokenController {

    private final PasswordLogin login;
    private final AccessTokens tokens;
    private final ClientAddresses clientAddresses;

    public TokenController(PasswordLogin login, AccessTokens tokens, ClientAddresses clientAddresses) {
        this.login = login;
        this.tokens = tokens;
        this.clientAddresses = clientAddresses;
    }

    @PostMapping("/token")
    Mono<TokenResponse> token(@Valid @RequestBody TokenRequest request, ServerHttpRequest http) {
        return login.authenticate(request.username(), request.password(), clientAddresses.of(http))
                .map(tokens::issue);
    }
}
