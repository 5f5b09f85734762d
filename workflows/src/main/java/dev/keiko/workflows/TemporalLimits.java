package dev.keiko.workflows;

import java.nio.charset.StandardCharsets;

/**
 * Keeps text built from user input inside the limits a Temporal server enforces, so that a long
 * name cannot make the server refuse a workflow start or a workflow task. Deterministic: workflow
 * code uses it too.
 *
 * <p>A static summary (a workflow's, an activity's) travels as a JSON payload, and the server
 * refuses a summary payload over {@code limit.userMetadataSummarySize}, 400 bytes by default
 * ({@code common/dynamicconfig/constants.go} in temporalio/temporal). The payload holds the text
 * JSON-encoded and encrypted: about 30 bytes of encoding metadata, the cipher's nonce and tag, the key id
 * and the task's workflow id travel with it (about 200 bytes in all), so the text is cut to
 * {@link #SUMMARY_BYTES} (EncryptedSummarySizeTest measures it).
 */
public final class TemporalLimits {

    /** The server's default limit on a summary payload, in bytes. */
    public static final int SUMMARY_PAYLOAD_BYTES = 400;

    /** The most bytes of summary text kept, counted as the SDK's JSON writes them (see {@link #encodedBytes}). */
    public static final int SUMMARY_BYTES = 200;

    /**
     * The most bytes of details text kept: far below the server's default limit on a details payload
     * ({@code limit.userMetadataDetailsSize}, 20,000 bytes), since details are one line here.
     */
    public static final int DETAILS_BYTES = 1024;

    private static final String ELLIPSIS = "\u2026";
    private static final int REPLACEMENT = 0xFFFD;

    private TemporalLimits() {
    }

    /**
     * {@code text} as a summary: control characters (which JSON would escape to up to six bytes)
     * become spaces, a lone surrogate (which no encoder can write) becomes U+FFFD, and text over {@link #SUMMARY_BYTES} is cut on a code-point boundary and ends
     * with an ellipsis.
     */
    public static String summary(String text) {
        return shortened(text, SUMMARY_BYTES);
    }

    /** {@code text} as static details: cleaned as {@link #summary} does, and cut at {@link #DETAILS_BYTES}. */
    public static String details(String text) {
        return shortened(text, DETAILS_BYTES);
    }

    private static String shortened(String text, int maxBytes) {
        StringBuilder clean = new StringBuilder(text.length());
        text.codePoints().forEach(c -> clean.appendCodePoint(Character.isISOControl(c) ? ' '
                : c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE ? REPLACEMENT : c));
        String flat = clean.toString();
        if (encodedBytes(flat) <= maxBytes) {
            return flat;
        }
        return cut(flat, maxBytes - encodedBytes(ELLIPSIS)) + ELLIPSIS;
    }

    /** The longest prefix of {@code text} whose summary bytes fit {@code maxBytes}, never splitting a code point. */
    static String cut(String text, int maxBytes) {
        int bytes = 0;
        int end = 0;
        while (end < text.length()) {
            int codePoint = text.codePointAt(end);
            int size = encodedBytes(codePoint);
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            end += Character.charCount(codePoint);
        }
        return text.substring(0, end);
    }

    /**
     * Bytes of {@code text} inside a JSON string as the SDK writes it: UTF-8, quotes and backslashes
     * escaped (two bytes), characters outside the Basic Multilingual Plane as two {@code \\uXXXX} escapes.
     */
    static int encodedBytes(String text) {
        return text.codePoints().map(TemporalLimits::encodedBytes).sum();
    }

    private static int encodedBytes(int codePoint) {
        if (codePoint == '"' || codePoint == '\\') {
            return 2;
        }
        if (Character.isSupplementaryCodePoint(codePoint)) {
            // The SDK's Jackson writes a surrogate pair as two \\uXXXX escapes unless told to combine them.
            return 12;
        }
        return new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
    }
}
