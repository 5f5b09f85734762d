package dev.keiko.api.user;

import jakarta.validation.constraints.Pattern;

/** The body of {@code PATCH /api/v1/users/{id}}: what to change, at least one of the two. */
public record UserChangeRequest(
        @Pattern(regexp = NewUserRequest.ROLES, message = NewUserRequest.ROLES_MESSAGE) String role,
        Boolean active) {

    boolean changesNothing() {
        return role == null && active == null;
    }
}
