package dev.keiko.domain.agent;

import dev.keiko.domain.page.KeysetCursor;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Component;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent registry in PostgreSQL. Every change writes its {@link AgentEvent} to the audit trail in the
 * same statement, then publishes it inside the application.
 */
@Component
public class AgentStore {

    private static final String COLUMNS = "id, name, type, capabilities, timeout_seconds, max_concurrent_tasks,"
            + " retry_policy, tools, approval_required, provider, deployment, system_prompt, max_steps,"
            + " max_tokens_per_task, active, created_by, created_at, updated_at";
    private static final String READ = COLUMNS + ", error_type, error_since";
    private static final String LOGGED = "), logged AS (INSERT INTO agent_events (agent_id, type, actor, at)"
            + " SELECT id, :event, :actor, :now FROM changed RETURNING id AS event_id, type AS event_type, actor,"
            + " at AS event_at) SELECT changed.*, logged.* FROM changed, logged";

    private final DatabaseClient db;
    private final JsonMapper json;
    private final ApplicationEventPublisher events;
    private final TransactionalOperator transaction;

    public AgentStore(DatabaseClient db, JsonMapper json, ApplicationEventPublisher events,
            ReactiveTransactionManager transactions) {
        this.db = db;
        this.json = json;
        this.events = events;
        this.transaction = TransactionalOperator.create(transactions);
    }

    /** Registers an inactive agent; empty when the name is taken. */
    public Mono<Agent> insert(AgentDefinition definition, UUID createdBy) {
        GenericExecuteSpec insert = db.sql("WITH changed AS (INSERT INTO agents (" + COLUMNS + ") VALUES (:id,"
                        + " :name, :type, :capabilities, :timeoutSeconds, :maxConcurrentTasks, :retryPolicy, :tools,"
                        + " :approvalRequired, :provider, :deployment, :systemPrompt, :maxSteps, :maxTokensPerTask,"
                        + " false, :actor, :now, :now) ON CONFLICT (name) DO NOTHING RETURNING *" + LOGGED)
                .bind("id", UUID.randomUUID());
        return logged(bind(insert, definition), AgentEventType.CREATED, createdBy);
    }

    /** Replaces an agent's definition; empty when there is none, or its new name is another agent's. */
    public Mono<Agent> update(UUID id, AgentDefinition definition, UUID by) {
        GenericExecuteSpec update = db.sql("WITH changed AS (UPDATE agents SET name = :name, type = :type,"
                        + " capabilities = :capabilities, timeout_seconds = :timeoutSeconds,"
                        + " max_concurrent_tasks = :maxConcurrentTasks, retry_policy = :retryPolicy, tools = :tools,"
                        + " approval_required = :approvalRequired, provider = :provider, deployment = :deployment,"
                        + " system_prompt = :systemPrompt, max_steps = :maxSteps,"
                        + " max_tokens_per_task = :maxTokensPerTask, updated_at = :now WHERE id = :id"
                        + " AND NOT EXISTS (SELECT 1 FROM agents other WHERE other.name = :name AND other.id <> :id)"
                        + " RETURNING *" + LOGGED)
                .bind("id", id);
        return logged(bind(update, definition), AgentEventType.UPDATED, by);
    }

    /** Makes an agent take tasks or stop taking them; empty when there is none, or it already was so. */
    public Mono<Agent> setActive(UUID id, boolean active, UUID by) {
        return logged(db.sql("WITH changed AS (UPDATE agents SET active = :active, updated_at = :now"
                        + " WHERE id = :id AND active <> :active RETURNING *" + LOGGED)
                .bind("id", id).bind("active", active),
                active ? AgentEventType.ACTIVATED : AgentEventType.DEACTIVATED, by);
    }

    /**
     * Removes an agent, keeping its audit trail; empty when there is none, an {@link AgentHasTasksException}
     * while any of its tasks is pending, running or awaiting approval. The agent's row is locked first and its
     * tasks counted after, in one transaction: a task insert holds the row {@code FOR SHARE}, so either the
     * count sees the new task or the insert finds the agent gone.
     */
    public Mono<Agent> delete(UUID id, UUID by) {
        Mono<Agent> delete = db.sql("SELECT id FROM agents WHERE id = :id FOR UPDATE").bind("id", id)
                .map(row -> row.get("id", UUID.class)).one()
                .flatMap(locked -> db.sql("SELECT count(*) AS unfinished FROM tasks WHERE agent_id = :id"
                                + " AND status IN ('pending', 'running')").bind("id", id)
                        .map(row -> row.get("unfinished", Long.class)).one())
                .flatMap(unfinished -> unfinished > 0 ? Mono.error(new AgentHasTasksException(unfinished))
                        : logged(db.sql("WITH changed AS (DELETE FROM agents WHERE id = :id RETURNING *" + LOGGED)
                                .bind("id", id), AgentEventType.DELETED, by));
        return transaction.transactional(delete);
    }

    /**
     * Puts the agent in error because one of its tasks failed with {@code errorType} at {@code failedAt}; empty
     * (and nothing audited) when it already is in error, is gone, or its health was decided by an outcome that
     * happened later: so a repeated call writes no second event, and a call that lands late (a timed-out attempt's
     * statement, run once its lock was released) undoes no later outcome.
     */
    public Mono<Agent> enterError(UUID id, String errorType, Instant failedAt) {
        return logged(healthChange("error_type = COALESCE(a.error_type, :errorType),"
                        + " error_since = COALESCE(a.error_since, :at)", "was_error_since IS NULL")
                .bind("id", id).bind("errorType", errorType).bind("at", failedAt.atOffset(ZoneOffset.UTC)),
                AgentEventType.ERROR_ENTERED, null);
    }

    /**
     * Takes the agent out of error because one of its tasks completed at {@code completedAt}; empty (and nothing
     * audited) when it was not in error, or its health was decided by an outcome that happened later.
     */
    public Mono<Agent> leaveErrorOnCompletion(UUID id, Instant completedAt) {
        return logged(healthChange("error_type = NULL, error_since = NULL", "was_error_since IS NOT NULL")
                        .bind("id", id).bind("at", completedAt.atOffset(ZoneOffset.UTC)),
                AgentEventType.ERROR_LEFT, null);
    }

    /**
     * Records the outcome that happened {@code :at} on the agent's row, locked first, unless a later one decided its
     * health already; audits it when it changed the agent's health ({@code transition}, of the row as it was).
     */
    private GenericExecuteSpec healthChange(String set, String transition) {
        return db.sql("WITH was AS (SELECT id, error_since FROM agents WHERE id = :id FOR UPDATE),"
                + " moved AS (UPDATE agents a SET " + set + ", health_at = :at FROM was WHERE a.id = was.id"
                + " AND (a.health_at IS NULL OR a.health_at < :at) RETURNING a.*, was.error_since AS was_error_since),"
                + " changed AS (SELECT * FROM moved WHERE " + transition + LOGGED);
    }

    /**
     * Takes the agent out of error because {@code by} changed it; empty (and nothing audited) when it was not. Task
     * outcomes that happened before now no longer decide its health.
     */
    public Mono<Agent> leaveError(UUID id, UUID by) {
        return logged(db.sql("WITH changed AS (UPDATE agents SET error_type = NULL, error_since = NULL,"
                        + " health_at = GREATEST(health_at, :now) WHERE id = :id AND error_since IS NOT NULL"
                        + " RETURNING *" + LOGGED)
                .bind("id", id), AgentEventType.ERROR_LEFT, by);
    }

    /**
     * What each of these agents is doing, from one grouped query over their tasks; an agent without tasks
     * is {@link AgentLoad#IDLE}. Tokens are the task's recorded model calls, else its result's total.
     */
    public Mono<Map<UUID, AgentLoad>> loads(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Mono.just(Map.of());
        }
        String ended = "t.status IN ('completed', 'failed', 'cancelled')"
                + " AND t.finished_at > now() - interval '24 hours'";
        return db.sql("SELECT t.agent_id, count(*) FILTER (WHERE t.status = 'running') AS running,"
                        + " count(*) FILTER (WHERE t.status = 'pending') AS pending,"
                        + " count(*) FILTER (WHERE t.status = 'completed' AND " + ended + ") AS completed,"
                        + " count(*) FILTER (WHERE t.status = 'failed' AND " + ended + ") AS failed,"
                        + " COALESCE(sum(COALESCE((SELECT sum(u.charged_tokens) FROM token_usage u"
                        + " WHERE u.task_id = t.id), CASE WHEN jsonb_typeof(t.result #> '{metadata,tokens,total}')"
                        + " = 'number' THEN (t.result #>> '{metadata,tokens,total}')::numeric END, 0))"
                        + " FILTER (WHERE " + ended + "), 0)::bigint AS tokens"
                        + " FROM tasks t WHERE t.agent_id = ANY(:ids) AND (t.status IN ('pending', 'running')"
                        + " OR t.finished_at > now() - interval '24 hours') GROUP BY t.agent_id")
                .bind("ids", ids.toArray(UUID[]::new))
                .map(row -> Map.entry(row.get("agent_id", UUID.class), new AgentLoad(row.get("running", Long.class),
                        row.get("pending", Long.class), row.get("completed", Long.class),
                        row.get("failed", Long.class), row.get("tokens", Long.class))))
                .all().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /**
     * The active agents of these types that have every one of {@code capabilities}, best first: healthy
     * before those in error, then most free slots, then by name. A slot counts as taken by a running task
     * and by one waiting for it (pending), so that a burst of tasks spreads over equal agents instead of
     * queueing behind the first.
     */
    public Flux<AgentCandidate> candidates(Collection<AgentType> types, List<String> capabilities) {
        return db.sql("SELECT " + READ + ", slots_in_use FROM (SELECT a.*, (SELECT count(*) FROM tasks t"
                        + " WHERE t.agent_id = a.id AND t.status IN ('pending', 'running')) AS slots_in_use FROM agents a"
                        + " WHERE a.active AND a.type = ANY(:types) AND a.capabilities @> :capabilities) ranked"
                        + " ORDER BY error_since IS NOT NULL, max_concurrent_tasks - slots_in_use DESC, name")
                .bind("types", types.stream().map(AgentType::value).toArray(String[]::new))
                .bind("capabilities", jsonOf(capabilities))
                .map(row -> new AgentCandidate(agent(row), row.get("slots_in_use", Long.class))).all();
    }

    /** The capabilities among {@code wanted} that some active agent of these types offers. */
    public Flux<String> offeredCapabilities(Collection<AgentType> types, List<String> wanted) {
        return db.sql("SELECT DISTINCT c.capability FROM agents a, jsonb_array_elements_text(a.capabilities)"
                        + " AS c(capability) WHERE a.active AND a.type = ANY(:types) AND c.capability = ANY(:wanted)")
                .bind("types", types.stream().map(AgentType::value).toArray(String[]::new))
                .bind("wanted", wanted.toArray(String[]::new))
                .map(row -> row.get("capability", String.class)).all();
    }

    public Mono<Agent> find(UUID id) {
        return db.sql("SELECT " + READ + " FROM agents WHERE id = :id").bind("id", id).map(this::agent).one();
    }

    public Mono<Agent> findByName(String name) {
        return db.sql("SELECT " + READ + " FROM agents WHERE name = :name").bind("name", name)
                .map(this::agent).one();
    }

    /** Newest first, {@code limit} agents after {@code cursor} (null: from the newest). */
    public Mono<AgentPage> page(KeysetCursor cursor, int limit) {
        String after = cursor == null ? "" : " WHERE (created_at, id) < (:cursorAt, :cursorId)";
        GenericExecuteSpec select = db.sql("SELECT " + READ + " FROM agents" + after
                + " ORDER BY created_at DESC, id DESC LIMIT :limit").bind("limit", limit + 1);
        if (cursor != null) {
            select = select.bind("cursorAt", cursor.createdAt().atOffset(ZoneOffset.UTC)).bind("cursorId", cursor.id());
        }
        return select.map(this::agent).all().collectList().map(agents -> agents.size() <= limit
                ? new AgentPage(agents, null)
                : new AgentPage(agents.subList(0, limit), agents.get(limit - 1).position().encode()));
    }

    /** An agent's audit trail, oldest first; empty for an id that never was an agent's. */
    public Flux<AgentEvent> events(UUID agentId, int limit) {
        return db.sql("SELECT id AS event_id, agent_id, type AS event_type, actor, at AS event_at FROM agent_events"
                        + " WHERE agent_id = :agentId ORDER BY id LIMIT :limit")
                .bind("agentId", agentId).bind("limit", limit)
                .map(row -> event(row, row.get("agent_id", UUID.class))).all();
    }

    private Mono<Agent> logged(GenericExecuteSpec change, AgentEventType type, UUID actor) {
        GenericExecuteSpec bound = change.bind("event", type.value())
                // PostgreSQL keeps microseconds: the instant returned is the one stored.
                .bind("now", Instant.now().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC));
        bound = actor == null ? bound.bindNull("actor", UUID.class) : bound.bind("actor", actor);
        return bound.map((row, metadata) -> {
                    Agent agent = agent(row);
                    return new Changed(agent, event(row, agent.id()));
                }).one()
                .doOnNext(changed -> events.publishEvent(changed.event()))
                .map(Changed::agent);
    }

    private record Changed(Agent agent, AgentEvent event) {
    }

    private GenericExecuteSpec bind(GenericExecuteSpec spec, AgentDefinition definition) {
        GenericExecuteSpec bound = spec.bind("name", definition.name())
                .bind("type", definition.type().value())
                .bind("capabilities", jsonOf(definition.capabilities()))
                .bind("timeoutSeconds", definition.timeoutSeconds())
                .bind("maxConcurrentTasks", definition.maxConcurrentTasks())
                .bind("retryPolicy", jsonOf(definition.retryPolicy()))
                .bind("tools", jsonOf(definition.tools()))
                .bind("approvalRequired", jsonOf(definition.approvalRequired()));
        bound = nullable(bound, "provider", definition.provider(), String.class);
        bound = nullable(bound, "deployment", definition.deployment(), String.class);
        bound = nullable(bound, "systemPrompt", definition.systemPrompt(), String.class);
        bound = nullable(bound, "maxSteps", definition.maxSteps(), Integer.class);
        return nullable(bound, "maxTokensPerTask", definition.maxTokensPerTask(), Long.class);
    }

    private static <T> GenericExecuteSpec nullable(GenericExecuteSpec spec, String name, T value, Class<T> type) {
        return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
    }

    private Json jsonOf(Object value) {
        return Json.of(json.writeValueAsString(value));
    }

    private Agent agent(Readable row) {
        AgentDefinition definition = new AgentDefinition(
                row.get("name", String.class),
                AgentType.of(row.get("type", String.class)),
                strings(row.get("capabilities", String.class)),
                row.get("timeout_seconds", Integer.class),
                row.get("max_concurrent_tasks", Integer.class),
                json.readValue(row.get("retry_policy", String.class), AgentRetryPolicy.class),
                strings(row.get("tools", String.class)),
                strings(row.get("approval_required", String.class)),
                row.get("provider", String.class),
                row.get("deployment", String.class),
                row.get("system_prompt", String.class),
                row.get("max_steps", Integer.class),
                row.get("max_tokens_per_task", Long.class));
        OffsetDateTime errorSince = row.get("error_since", OffsetDateTime.class);
        return new Agent(row.get("id", UUID.class), definition, Boolean.TRUE.equals(row.get("active", Boolean.class)),
                row.get("created_by", UUID.class), instant(row, "created_at"), instant(row, "updated_at"),
                row.get("error_type", String.class), errorSince == null ? null : errorSince.toInstant());
    }

    private static AgentEvent event(Readable row, UUID agentId) {
        return new AgentEvent(row.get("event_id", Long.class), agentId,
                AgentEventType.of(row.get("event_type", String.class)), row.get("actor", UUID.class),
                instant(row, "event_at"));
    }

    private static Instant instant(Readable row, String column) {
        return row.get(column, OffsetDateTime.class).toInstant();
    }

    private List<String> strings(String value) {
        return json.readValue(value, new TypeReference<List<String>>() { });
    }
}
