package dev.keiko.api.auth;

import jakarta.validation.constraints.NotBlank;

/** A username and password to exchange for an access token. */
public record TokenRequest(@NotBlank String username, @NotBlank String password) {

    @Override
    public String toString() {
        return "TokenRequest[username=" + username + "]";
    }
}
