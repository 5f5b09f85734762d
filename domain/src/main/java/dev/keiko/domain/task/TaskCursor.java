package dev.keiko.domain.task;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** A keyset position in the newest-first task list: the last task of a page. */
public record TaskCursor(Instant createdAt, UUID id) {

    // Every task is created in this range; PostgreSQL could not even compare some instants outside it.
    private static final Instant EARLIEST = Instant.EPOCH;
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    public static TaskCursor after(Task task) {
        return new TaskCursor(task.createdAt(), task.id());
    }

    public String encode() {
        String raw = createdAt + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads an encoded cursor; throws {@link IllegalArgumentException} for anything else. */
    public static TaskCursor decode(String encoded) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
            int bar = raw.indexOf('|');
            Instant createdAt = Instant.parse(raw.substring(0, bar));
            if (createdAt.isBefore(EARLIEST) || createdAt.isAfter(LATEST)) {
                throw new IllegalArgumentException("out of range");
            }
            return new TaskCursor(createdAt, UUID.fromString(raw.substring(bar + 1)));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Invalid cursor '" + encoded + "'", e);
        }
    }
}
