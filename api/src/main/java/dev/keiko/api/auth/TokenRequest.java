package dev.keiko.api.auth;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * A username and password to exchange for an access token. No username is longer than 64 characters, so a
 * longer one is refused before it is looked up or counted.
 */
public record TokenRequest(@NotBlank @Size(max = 64) String username, @NotBlank String password) {

    @Override
    public String toString() {
        return "TokenRequest[username=" + username + "]";
    }
}
