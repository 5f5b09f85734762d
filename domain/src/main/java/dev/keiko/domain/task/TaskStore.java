package dev.keiko.domain.task;

import dev.keiko.domain.metrics.TaskMetrics;
import dev.keiko.domain.page.KeysetCursor;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The task read model. Status changes only move forward: each update names the statuses it may
 * leave, so a repeated or late update changes nothing and answers {@code false}. Each change that was
 * made is counted in {@link TaskMetrics}.
 */
@Repository
public class TaskStore {

    private static final String COLUMNS = "id, owner_id, type, parameters, priority, timeout_seconds, status,"
            + " workflow_id, idempotency_key, request_hash, result, created_at, started_at, finished_at, agent_id,"
            + " agent_name";
    private static final String INSERTED = "INSERT INTO tasks (id, owner_id, type, parameters, priority,"
            + " timeout_seconds, status, workflow_id, idempotency_key, request_hash, created_at, updated_at, agent_id,"
            + " agent_name)";
    private static final String VALUES = " :id, :owner, :type, :parameters, :priority, :timeout, 'pending',"
            + " :workflowId, :key, :hash, :now, :now";
    private static final String ON_CONFLICT = " ON CONFLICT (owner_id, idempotency_key)"
            + " WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING " + COLUMNS;

    private final DatabaseClient db;
    private final JsonMapper json;
    private final TaskMetrics metrics;

    public TaskStore(DatabaseClient db, JsonMapper json, TaskMetrics metrics) {
        this.db = db;
        this.json = json;
        this.metrics = metrics;
    }

    /**
     * Inserts a task, or answers the caller's earlier task with the same idempotency key. A routed task
     * holds its agent's row {@code FOR SHARE} while it is inserted, so that a concurrent delete of the agent
     * either sees the task or has deleted the agent first; then nothing is stored and the answer is an
     * {@link AgentGoneException}.
     */
    public Mono<TaskInsert> insert(NewTask task) {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        RoutedAgent agent = task.agent();
        String sql = agent == null
                ? INSERTED + " VALUES (" + VALUES + ", NULL, NULL)" + ON_CONFLICT
                : "WITH agent AS (SELECT id FROM agents WHERE id = :agentId FOR SHARE) " + INSERTED + " SELECT"
                        + VALUES + ", agent.id, :agentName FROM agent" + ON_CONFLICT;
        GenericExecuteSpec insert = db.sql(sql)
                .bind("id", id)
                .bind("owner", task.ownerId())
                .bind("type", task.type())
                .bind("parameters", Json.of(json.writeValueAsString(task.parameters())))
                .bind("priority", task.priority().value())
                .bind("timeout", task.timeoutSeconds())
                .bind("workflowId", "task-" + id)
                .bind("now", now.atOffset(ZoneOffset.UTC));
        if (agent != null) {
            insert = insert.bind("agentId", agent.id()).bind("agentName", agent.name());
        }
        insert = bindNullable(insert, "key", task.idempotencyKey(), String.class);
        insert = bindNullable(insert, "hash", task.requestHash(), String.class);
        Mono<TaskInsert> created = insert.map(this::task).one()
                .doOnNext(t -> metrics.submitted(t.type(), t.agent() == null ? null : t.agent().id()))
                .map(t -> new TaskInsert(t, true));
        Mono<TaskInsert> existing = Mono.defer(() -> task.idempotencyKey() == null ? Mono.empty()
                : findByIdempotencyKey(task.ownerId(), task.idempotencyKey()).map(t -> new TaskInsert(t, false)));
        Mono<TaskInsert> agentGone = Mono.defer(() -> agent == null ? Mono.empty()
                : Mono.error(new AgentGoneException(agent)));
        return created.switchIfEmpty(existing).switchIfEmpty(agentGone);
    }

    /** The owner's task submitted with this idempotency key, if any. */
    public Mono<Task> findByIdempotencyKey(UUID ownerId, String idempotencyKey) {
        return db.sql("SELECT " + COLUMNS + " FROM tasks WHERE owner_id = :owner AND idempotency_key = :key")
                .bind("owner", ownerId)
                .bind("key", idempotencyKey)
                .map(this::task).one();
    }

    public Mono<Task> findById(UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM tasks WHERE id = :id").bind("id", id).map(this::task).one();
    }

    /** A page of tasks, newest first, after the query's cursor. */
    public Mono<TaskPage> find(TaskQuery query) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM tasks WHERE true");
        if (query.ownerId() != null) {
            sql.append(" AND owner_id = :owner");
        }
        if (query.status() != null) {
            sql.append(" AND status = :status");
        }
        if (query.type() != null) {
            sql.append(" AND type = :type");
        }
        if (query.agentId() != null) {
            sql.append(" AND agent_id = :agentId");
        }
        if (query.after() != null) {
            sql.append(" AND (created_at, id) < (:afterCreated, :afterId)");
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT :limit");
        GenericExecuteSpec select = db.sql(sql.toString()).bind("limit", query.limit() + 1);
        if (query.ownerId() != null) {
            select = select.bind("owner", query.ownerId());
        }
        if (query.status() != null) {
            select = select.bind("status", query.status().value());
        }
        if (query.type() != null) {
            select = select.bind("type", query.type());
        }
        if (query.agentId() != null) {
            select = select.bind("agentId", query.agentId());
        }
        if (query.after() != null) {
            select = select.bind("afterCreated", query.after().createdAt().atOffset(ZoneOffset.UTC))
                    .bind("afterId", query.after().id());
        }
        return select.map(this::task).all().collectList().map(tasks -> {
            if (tasks.size() <= query.limit()) {
                return new TaskPage(tasks, null);
            }
            var page = tasks.subList(0, query.limit());
            return new TaskPage(page, page.getLast().position().encode());
        });
    }

    /** An agent's tasks in {@code status}, oldest first, at most {@code limit}. */
    public Flux<Task> ofAgent(UUID agentId, TaskStatus status, int limit) {
        return db.sql("SELECT " + COLUMNS + " FROM tasks WHERE agent_id = :agentId AND status = :status"
                        + " ORDER BY created_at, id LIMIT :limit")
                .bind("agentId", agentId).bind("status", status.value()).bind("limit", limit)
                .map(this::task).all();
    }

    /**
     * The workflow ids of running agent tasks that may wait for approval (their parameters or their agent name tools
     * that need it), oldest first, at most {@code limit}.
     */
    public Flux<String> runningWithApprovals(int limit) {
        return db.sql("SELECT t.workflow_id FROM tasks t LEFT JOIN agents a ON a.id = t.agent_id"
                        + " WHERE t.status = 'running' AND t.type = 'agent'"
                        + " AND ((jsonb_typeof(t.parameters -> 'approvalRequired') = 'array'"
                        + " AND t.parameters -> 'approvalRequired' <> '[]'::jsonb)"
                        + " OR a.approval_required <> '[]'::jsonb)"
                        + " ORDER BY t.created_at, t.id LIMIT :limit")
                .bind("limit", limit)
                .map(row -> row.get("workflow_id", String.class)).all();
    }

    /** Moves a pending task to running; false when it already was running or had ended. */
    public Mono<Boolean> markRunning(UUID id, Instant startedAt) {
        return db.sql("UPDATE tasks SET status = 'running', started_at = :at, updated_at = now()"
                        + " WHERE id = :id AND status = 'pending' RETURNING type, agent_id, created_at")
                .bind("id", id)
                .bind("at", startedAt.atOffset(ZoneOffset.UTC))
                .map(row -> {
                    metrics.started(row.get("type", String.class), row.get("agent_id", UUID.class),
                            instant(row.get("created_at", OffsetDateTime.class)), startedAt);
                    return true;
                })
                .one().defaultIfEmpty(false);
    }

    /** Ends a pending or running task with its result; false when it had already ended. */
    public Mono<Boolean> recordOutcome(UUID id, TaskStatus status, JsonNode result, Instant finishedAt) {
        if (!status.isTerminal()) {
            return Mono.error(new IllegalArgumentException("Not a final status: " + status.value()));
        }
        return db.sql("UPDATE tasks SET status = :status, result = :result, finished_at = :at,"
                        + " started_at = COALESCE(started_at, :at), updated_at = now()"
                        + " WHERE id = :id AND status IN ('pending', 'running') RETURNING type, agent_id, started_at")
                .bind("id", id)
                .bind("status", status.value())
                .bind("result", Json.of(StorableJson.of(json.writeValueAsString(result))))
                .bind("at", finishedAt.atOffset(ZoneOffset.UTC))
                .map(row -> {
                    metrics.ended(row.get("type", String.class), row.get("agent_id", UUID.class), status,
                            errorType(result), instant(row.get("started_at", OffsetDateTime.class)), finishedAt);
                    return true;
                })
                .one().defaultIfEmpty(false);
    }

    /**
     * Tasks that may have lost their workflow: pending ones created before {@code pendingBefore}, and
     * running ones past their own timeout by more than {@code runningGrace}. The first page, oldest first.
     */
    public Flux<Task> findUnfinishedSuspects(Instant pendingBefore, Duration runningGrace, int limit) {
        return suspects(pendingBefore, runningGrace, "", limit).map(this::task).all();
    }

    /** The page of {@link #findUnfinishedSuspects(Instant, Duration, int) suspects} after {@code after}, oldest first. */
    public Flux<Task> findUnfinishedSuspects(Instant pendingBefore, Duration runningGrace, KeysetCursor after,
            int limit) {
        return suspects(pendingBefore, runningGrace, " AND (created_at, id) > (:afterCreated, :afterId)", limit)
                .bind("afterCreated", after.createdAt().atOffset(ZoneOffset.UTC))
                .bind("afterId", after.id())
                .map(this::task).all();
    }

    private GenericExecuteSpec suspects(Instant pendingBefore, Duration runningGrace, String after, int limit) {
        return db.sql("SELECT " + COLUMNS + " FROM tasks WHERE ((status = 'pending' AND created_at < :before)"
                        + " OR (status = 'running' AND started_at + make_interval(secs => timeout_seconds + :grace)"
                        + " < now()))" + after + " ORDER BY created_at, id LIMIT :limit")
                .bind("before", pendingBefore.atOffset(ZoneOffset.UTC))
                .bind("grace", (double) runningGrace.toSeconds())
                .bind("limit", limit);
    }

    private static <T> GenericExecuteSpec bindNullable(GenericExecuteSpec spec, String name, T value, Class<T> type) {
        return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
    }

    private Task task(Readable row) {
        return new Task(
                row.get("id", UUID.class),
                row.get("owner_id", UUID.class),
                row.get("type", String.class),
                readJson(row.get("parameters", String.class)),
                TaskPriority.of(row.get("priority", String.class)),
                row.get("timeout_seconds", Integer.class),
                TaskStatus.of(row.get("status", String.class)),
                row.get("workflow_id", String.class),
                row.get("idempotency_key", String.class),
                row.get("request_hash", String.class),
                readJson(row.get("result", String.class)),
                instant(row.get("created_at", OffsetDateTime.class)),
                instant(row.get("started_at", OffsetDateTime.class)),
                instant(row.get("finished_at", OffsetDateTime.class)),
                agent(row));
    }

    private static String errorType(JsonNode result) {
        JsonNode type = result == null ? null : result.get("errorType");
        return type == null || !type.isString() ? null : type.asString();
    }

    private static RoutedAgent agent(Readable row) {
        UUID agentId = row.get("agent_id", UUID.class);
        return agentId == null ? null : new RoutedAgent(agentId, row.get("agent_name", String.class));
    }

    private JsonNode readJson(String value) {
        return value == null ? null : json.readTree(value);
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}
