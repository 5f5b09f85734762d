package dev.keiko.api.auth;

/** An access token for {@code Authorization: Bearer}; {@code expiresIn} is in seconds. */
public record TokenResponse(String accessToken, String tokenType, long expiresIn) {
}
