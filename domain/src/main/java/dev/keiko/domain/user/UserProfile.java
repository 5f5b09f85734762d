package dev.keiko.domain.user;

/** Optional facts about a user; any of them may be null. */
public record UserProfile(String fullName, String email, String timezone) {

    public static final UserProfile EMPTY = new UserProfile(null, null, null);
}
