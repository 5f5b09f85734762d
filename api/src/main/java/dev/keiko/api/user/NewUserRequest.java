package dev.keiko.api.user;

import dev.keiko.api.auth.PasswordHasher;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The body of {@code POST /api/v1/users}; the profile fields are optional. */
public record NewUserRequest(
        @NotNull @Size(min = 3, max = 64)
        @Pattern(regexp = "[A-Za-z0-9._-]*", message = "may contain only letters, digits, '.', '_' and '-'")
        String username,
        @NotNull @Size(min = 8, max = PasswordHasher.MAX_PASSWORD_BYTES) String password,
        @NotNull @Pattern(regexp = ROLES, message = ROLES_MESSAGE) String role,
        @Size(max = 200) String fullName,
        @Email @Size(max = 320) String email,
        @ValidZoneId @Size(max = 64) String timezone) {

    /** The values of {@link dev.keiko.domain.user.Role}, spelled out because annotations need constants. */
    static final String ROLES = "admin|operator|user|viewer";
    static final String ROLES_MESSAGE = "must be one of admin, operator, user, viewer";

    @Override
    public String toString() {
        return "NewUserRequest[username=" + username + ", role=" + role + "]";
    }
}
