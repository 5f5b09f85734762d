package dev.keiko.domain.agent;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** A keyset position in the newest-first agent list: the last agent of a page. */
public record AgentCursor(Instant createdAt, UUID id) {

    private static final Instant EARLIEST = Instant.EPOCH;
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    public static AgentCursor after(Agent agent) {
        return new AgentCursor(agent.createdAt(), agent.id());
    }

    public String encode() {
        String raw = createdAt + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads an encoded cursor; throws {@link IllegalArgumentException} for anything else. */
    public static AgentCursor decode(String encoded) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
            int bar = raw.indexOf('|');
            Instant createdAt = Instant.parse(raw.substring(0, bar));
            if (createdAt.isBefore(EARLIEST) || createdAt.isAfter(LATEST)) {
                throw new IllegalArgumentException("out of range");
            }
            return new AgentCursor(createdAt, UUID.fromString(raw.substring(bar + 1)));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Invalid cursor", e);
        }
    }
}
