package dev.keiko.domain.user;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/** A user's role and exactly the permissions it grants. */
public enum Role {
    ADMIN(Set.of("*")),
    OPERATOR(Set.of("agents:*", "tasks:*")),
    USER(Set.of("tasks:create", "tasks:read", "agents:read")),
    VIEWER(Set.of("tasks:read", "agents:read"));

    private final Set<String> permissions;

    Role(Set<String> permissions) {
        this.permissions = permissions;
    }

    public Set<String> permissions() {
        return permissions;
    }

    /** Whether this role grants {@code permission}, directly or through a {@code *} wildcard. */
    public boolean grants(String permission) {
        if (permissions.contains("*") || permissions.contains(permission)) {
            return true;
        }
        int colon = permission.indexOf(':');
        return colon > 0 && permissions.contains(permission.substring(0, colon) + ":*");
    }

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role of(String value) {
        return Arrays.stream(values())
                .filter(role -> role.value().equals(value))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "Unknown role '" + value + "': use admin, operator, user or viewer"));
    }
}
