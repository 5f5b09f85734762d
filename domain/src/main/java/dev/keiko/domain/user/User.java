package dev.keiko.domain.user;

import java.time.Instant;
import java.util.UUID;

/**
 * A user of Keiko. {@code passwordHash} is a Spring Security encoded hash, never a password;
 * {@code dailyTokenBudget} is null when the user may spend model tokens without limit.
 */
public record User(
        UUID id,
        String username,
        String passwordHash,
        Role role,
        boolean active,
        UserProfile profile,
        Instant createdAt,
        Instant updatedAt,
        Long dailyTokenBudget) {
}
