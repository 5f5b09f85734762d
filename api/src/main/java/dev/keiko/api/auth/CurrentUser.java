package dev.keiko.api.auth;

import dev.keiko.domain.user.Role;
import java.util.UUID;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.oauth2.jwt.Jwt;

/** The caller, as its access token names it: subject = user id, plus the claims username and role. */
public record CurrentUser(UUID id, String username, Role role) {

    public static final String USERNAME_CLAIM = "username";
    public static final String ROLE_CLAIM = "role";

    public static CurrentUser from(Jwt jwt) {
        return new CurrentUser(UUID.fromString(jwt.getSubject()), jwt.getClaimAsString(USERNAME_CLAIM),
                Role.of(jwt.getClaimAsString(ROLE_CLAIM)));
    }

    public boolean can(String permission) {
        return role.grants(permission);
    }

    /** Throws {@link AccessDeniedException} (answered 403) unless the role grants {@code permission}. */
    public void require(String permission) {
        if (!can(permission)) {
            throw new AccessDeniedException("Role '" + role.value() + "' lacks the permission '" + permission + "'");
        }
    }
}
