package dev.keiko.api.task;

/**
 * The last event of a stream that ends before its task does: {@code token-expired} (sign in again and
 * reconnect), {@code user-deactivated}, {@code user-deleted}, {@code role-changed}, or {@code too-many-streams}
 * when another of the user's streams took the last place as this one started.
 */
public record StreamClosedView(String reason) {

    static final String TOKEN_EXPIRED = "token-expired";
    static final String USER_DEACTIVATED = "user-deactivated";
    static final String USER_DELETED = "user-deleted";
    static final String ROLE_CHANGED = "role-changed";
    static final String TOO_MANY_STREAMS = "too-many-streams";
}
