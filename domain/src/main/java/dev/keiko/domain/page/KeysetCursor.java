package dev.keiko.domain.page;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** A keyset position in a newest-first list (tasks, agents): the creation time and id of a page's last row. */
public record KeysetCursor(Instant createdAt, UUID id) {

    // Every row is created in this range; PostgreSQL could not even compare some instants outside it.
    private static final Instant EARLIEST = Instant.EPOCH;
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    public String encode() {
        String raw = createdAt + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads an encoded cursor; throws {@link IllegalArgumentException} for anything else. */
    public static KeysetCursor decode(String encoded) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
            int bar = raw.indexOf('|');
            Instant createdAt = Instant.parse(raw.substring(0, bar));
            if (createdAt.isBefore(EARLIEST) || createdAt.isAfter(LATEST)) {
                throw new IllegalArgumentException("out of range");
            }
            return new KeysetCursor(createdAt, UUID.fromString(raw.substring(bar + 1)));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Invalid cursor '" + encoded + "'", e);
        }
    }
}
