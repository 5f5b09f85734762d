package dev.keiko.api.codec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** The codec sign-in page: no external resources, its one script allowed by its hash and nothing else. */
final class SignInPage {

    private static final String SCRIPT = """
            document.getElementById('sign-in').addEventListener('submit', async (event) => {
              event.preventDefault();
              const form = new FormData(event.target);
              const status = document.getElementById('status');
              const response = await fetch('session', {
                method: 'POST',
                credentials: 'same-origin',
                headers: {'Content-Type': 'application/json'},
                body: JSON.stringify({username: form.get('username'), password: form.get('password')})
              });
              const body = await response.json().catch(() => ({}));
              status.textContent = response.ok
                ? 'Signed in for ' + Math.round(body.expiresIn / 60) + ' minutes: reload the Temporal Web UI.'
                : (body.detail || 'Sign-in failed (' + response.status + ')');
            });
            """;

    static final String HTML = """
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><title>Keiko: sign in to read payloads in the Temporal Web UI</title></head>
            <body>
            <h1>Sign in to read Keiko's payloads in the Temporal Web UI</h1>
            <form id="sign-in">
              <p><label>Username <input name="username" autocomplete="username" required></label></p>
              <p><label>Password <input name="password" type="password" autocomplete="current-password" required>\
            </label></p>
              <p><button type="submit">Sign in</button></p>
            </form>
            <p id="status" role="status"></p>
            <script>%s</script>
            </body>
            </html>
            """.formatted(SCRIPT);

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'sha256-" + sha256(SCRIPT)
            + "'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    private SignInPage() {
    }

    private static String sha256(String script) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
