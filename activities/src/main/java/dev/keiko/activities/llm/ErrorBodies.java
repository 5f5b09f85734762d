package dev.keiko.activities.llm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The body of an error response to a streaming request, read up to a bound. */
final class ErrorBodies {

    private static final int MAX_BYTES = 64 * 1024;

    private ErrorBodies() {
    }

    static String read(InputStream body) {
        try {
            return new String(body.readNBytes(MAX_BYTES), StandardCharsets.UTF_8);
        } catch (IOException e) {
            // The status alone classifies the failure; the body only adds the provider's words.
            return null;
        }
    }
}
