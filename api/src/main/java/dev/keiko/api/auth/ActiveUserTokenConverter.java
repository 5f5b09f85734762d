package dev.keiko.api.auth;

import dev.keiko.domain.user.User;
import dev.keiko.domain.user.UserStore;
import java.util.List;
import java.util.UUID;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Accepts a correctly signed token only while its user still exists, is active and has the role the token
 * names, so deactivating a user or changing their role takes effect at once rather than when tokens expire.
 * The authorities are {@code ROLE_<ROLE>}; the principal stays the {@link Jwt} for {@link CurrentUser#from}.
 */
@Component
public class ActiveUserTokenConverter implements Converter<Jwt, Mono<AbstractAuthenticationToken>> {

    private final UserStore users;

    public ActiveUserTokenConverter(UserStore users) {
        this.users = users;
    }

    @Override
    public Mono<AbstractAuthenticationToken> convert(Jwt jwt) {
        UUID id = userId(jwt.getSubject());
        if (id == null) {
            return Mono.error(new InvalidBearerTokenException("The token's subject is not a user id"));
        }
        return users.findById(id)
                .switchIfEmpty(Mono.error(() -> new InvalidBearerTokenException("The token's user does not exist")))
                .flatMap(user -> check(user, jwt));
    }

    private static UUID userId(String subject) {
        try {
            return subject == null ? null : UUID.fromString(subject);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Mono<AbstractAuthenticationToken> check(User user, Jwt jwt) {
        if (!user.active()) {
            return Mono.error(new InvalidBearerTokenException("The token's user is deactivated"));
        }
        if (!user.role().value().equals(jwt.getClaimAsString(CurrentUser.ROLE_CLAIM))) {
            return Mono.error(new InvalidBearerTokenException(
                    "The token's role is no longer the user's role; get a new token"));
        }
        var authority = new SimpleGrantedAuthority("ROLE_" + user.role().name());
        return Mono.just(new JwtAuthenticationToken(jwt, List.of(authority), user.username()));
    }
}
