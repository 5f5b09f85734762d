package dev.keiko.api.user;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.keiko.domain.user.User;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A user as the API shows it: never the password hash. {@code dailyTokenBudget} is null when the user
 * may spend without limit; {@code tokensToday} (UTC) is shown for one user, not in lists.
 */
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
        Instant updatedAt,
        Long dailyTokenBudget,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long tokensToday) {

    static UserView of(User user) {
        return of(user, null);
    }

    static UserView of(User user, Long tokensToday) {
        return new UserView(user.id(), user.username(), user.role().value(), user.active(),
                user.role().permissions().stream().sorted().toList(), user.profile().fullName(),
                user.profile().email(), user.profile().timezone(), user.createdAt(), user.updatedAt(),
                user.dailyTokenBudget(), tokensToday);
    }
}
