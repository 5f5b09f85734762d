package dev.keiko.domain.task;

import java.util.regex.Pattern;

/**
 * Makes JSON text storable in a {@code jsonb} column, which refuses the escaped NUL character
 * ({@code \u0000}): tool and model output may contain it, and an outcome must never be
 * unstorable. Each NUL becomes U+FFFD, the replacement character.
 */
final class StorableJson {

    // An escaped NUL: "\u0000" preceded by an even number of backslashes (an odd one would escape ours).
    private static final Pattern ESCAPED_NUL = Pattern.compile("(?<!\\\\)((?:\\\\\\\\)*)\\\\u0000");

    private StorableJson() {
    }

    static String of(String json) {
        return json.contains("\\u0000") ? ESCAPED_NUL.matcher(json).replaceAll("$1\\\\uFFFD") : json;
    }
}
