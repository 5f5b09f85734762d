package dev.keiko.domain.payload;

import java.time.Duration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * Large Temporal payloads, stored once by content. Saving one again only marks it used, which keeps
 * it from {@link #deleteUnusedFor(Duration) retention} for as long as workflows keep passing it on.
 */
@Repository
public class PayloadStore {

    private final DatabaseClient db;

    public PayloadStore(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Void> save(String id, byte[] data) {
        return db.sql("INSERT INTO payloads (id, data, size_bytes, last_used_at) VALUES (:id, :data, :size, now())"
                        + " ON CONFLICT (id) DO UPDATE SET last_used_at = now()")
                .bind("id", id)
                .bind("data", data)
                .bind("size", data.length)
                .then();
    }

    /** The payload's bytes; empty when there is none with that id. */
    public Mono<byte[]> load(String id) {
        return db.sql("SELECT data FROM payloads WHERE id = :id")
                .bind("id", id)
                .map(row -> row.get("data", byte[].class))
                .one();
    }

    /** Deletes the payloads nobody saved for {@code retention}; answers how many. */
    public Mono<Long> deleteUnusedFor(Duration retention) {
        return db.sql("DELETE FROM payloads WHERE last_used_at < now() - make_interval(secs => :seconds)")
                .bind("seconds", (double) retention.toSeconds())
                .fetch().rowsUpdated();
    }
}
