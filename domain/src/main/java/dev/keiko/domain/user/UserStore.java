package dev.keiko.domain.user;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Users in PostgreSQL. A duplicate username fails with {@link DuplicateKeyException}. */
@Repository
public class UserStore {

    private static final String COLUMNS =
            "id, username, password_hash, role, active, full_name, email, timezone, created_at, updated_at,"
                    + " daily_token_budget";

    private final DatabaseClient db;

    public UserStore(DatabaseClient db) {
        this.db = db;
    }

    public Mono<User> insert(String username, String passwordHash, Role role, UserProfile profile) {
        OffsetDateTime now = Instant.now().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
        GenericExecuteSpec insert = db.sql("INSERT INTO users (" + COLUMNS + ") VALUES (:id, :username, :hash,"
                        + " :role, true, :fullName, :email, :timezone, :now, :now, NULL) RETURNING " + COLUMNS)
                .bind("id", UUID.randomUUID())
                .bind("username", username)
                .bind("hash", passwordHash)
                .bind("role", role.value())
                .bind("now", now);
        insert = bind(insert, "fullName", profile.fullName());
        insert = bind(insert, "email", profile.email());
        insert = bind(insert, "timezone", profile.timezone());
        return insert.map(UserStore::user).one();
    }

    public Mono<User> findById(UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM users WHERE id = :id").bind("id", id).map(UserStore::user).one();
    }

    public Mono<User> findByUsername(String username) {
        return db.sql("SELECT " + COLUMNS + " FROM users WHERE username = :username")
                .bind("username", username).map(UserStore::user).one();
    }

    /** The users with these ids that exist. */
    public Flux<User> findAllById(Collection<UUID> ids) {
        return db.sql("SELECT " + COLUMNS + " FROM users WHERE id = ANY(:ids)")
                .bind("ids", ids.toArray(UUID[]::new)).map(UserStore::user).all();
    }

    public Flux<User> findAll() {
        return db.sql("SELECT " + COLUMNS + " FROM users ORDER BY username").map(UserStore::user).all();
    }

    public Mono<Boolean> existsWithRole(Role role) {
        return db.sql("SELECT count(*) AS n FROM users WHERE role = :role AND active")
                .bind("role", role.value())
                .map(row -> row.get("n", Long.class)).one().map(n -> n > 0);
    }

    /** Changes a user's role and/or active flag (null leaves it as it is); empty when there is no such user. */
    public Mono<User> update(UUID id, Role role, Boolean active) {
        return update(id, role, active, null, false);
    }

    /**
     * Changes a user's role, active flag and daily token budget; a null argument leaves that one as it is,
     * except that {@code clearBudget} removes the budget. Empty when there is no such user.
     */
    public Mono<User> update(UUID id, Role role, Boolean active, Long dailyTokenBudget, boolean clearBudget) {
        GenericExecuteSpec update = db.sql("UPDATE users SET role = COALESCE(:role, role),"
                        + " active = COALESCE(:active, active),"
                        + " daily_token_budget = CASE WHEN :clearBudget THEN NULL"
                        + " ELSE COALESCE(:budget, daily_token_budget) END,"
                        + " updated_at = now() WHERE id = :id RETURNING " + COLUMNS)
                .bind("id", id)
                .bind("clearBudget", clearBudget);
        update = role == null ? update.bindNull("role", String.class) : update.bind("role", role.value());
        update = active == null ? update.bindNull("active", Boolean.class) : update.bind("active", active);
        update = dailyTokenBudget == null
                ? update.bindNull("budget", Long.class) : update.bind("budget", dailyTokenBudget);
        return update.map(UserStore::user).one();
    }

    /** Replaces a user's password hash; empty when there is no such user. */
    public Mono<User> changePasswordHash(UUID id, String passwordHash) {
        return db.sql("UPDATE users SET password_hash = :hash, updated_at = now() WHERE id = :id RETURNING " + COLUMNS)
                .bind("id", id)
                .bind("hash", passwordHash)
                .map(UserStore::user).one();
    }

    private static GenericExecuteSpec bind(GenericExecuteSpec spec, String name, String value) {
        return value == null ? spec.bindNull(name, String.class) : spec.bind(name, value);
    }

    private static User user(Readable row) {
        return new User(
                row.get("id", UUID.class),
                row.get("username", String.class),
                row.get("password_hash", String.class),
                Role.of(row.get("role", String.class)),
                Boolean.TRUE.equals(row.get("active", Boolean.class)),
                new UserProfile(row.get("full_name", String.class), row.get("email", String.class),
                        row.get("timezone", String.class)),
                row.get("created_at", OffsetDateTime.class).toInstant(),
                row.get("updated_at", OffsetDateTime.class).toInstant(),
                row.get("daily_token_budget", Long.class));
    }
}
