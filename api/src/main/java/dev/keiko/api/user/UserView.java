package dev.keiko.api.user;

import dev.keiko.domain.user.User;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A user as the API shows it: never the password hash. */
public record UserView(
        UUID id,
        String username,
        String role,
        boolean active,
        List<String> permissions,
        String fullName,
        String email,
        String timezone,
        Instant createdAt,
        Instant updatedAt) {

    static UserView of(User user) {
        return new UserView(user.id(), user.username(), user.role().value(), user.active(),
                user.role().permissions().stream().sorted().toList(), user.profile().fullName(),
                user.profile().email(), user.profile().timezone(), user.createdAt(), user.updatedAt());
    }
}
