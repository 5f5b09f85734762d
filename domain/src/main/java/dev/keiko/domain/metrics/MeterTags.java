package dev.keiko.domain.metrics;

import java.util.regex.Pattern;

/**
 * Tag values that stay few whatever users send: a failure type is one of Keiko's own names (upper case
 * with underscores) or {@code OTHER}. Task ids, user ids and free text are never tags.
 */
public final class MeterTags {

    public static final String SUCCESS = "success";
    public static final String OTHER = "OTHER";

    private static final Pattern FAILURE_TYPE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

    private MeterTags() {
    }

    /** The failure type as a tag: Keiko's failure types as they are, anything else {@link #OTHER}. */
    public static String failureType(String type) {
        return type != null && FAILURE_TYPE.matcher(type).matches() ? type : OTHER;
    }
}
