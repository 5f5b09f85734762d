package dev.keiko.api.auth;

import jakarta.validation.Valid;
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

    public TokenController(PasswordLogin login, AccessTokens tokens) {
        this.login = login;
        this.tokens = tokens;
    }

    @PostMapping("/token")
    Mono<TokenResponse> token(@Valid @RequestBody TokenRequest request) {
        return login.authenticate(request.username(), request.password()).map(tokens::issue);
    }
}
