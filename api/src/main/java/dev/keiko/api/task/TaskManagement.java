package dev.keiko.api.task;

import dev.keiko.api.auth.CurrentUser;
import dev.keiko.api.problem.Problems;
import dev.keiko.domain.task.AgentGoneException;
import dev.keiko.domain.task.NewTask;
import dev.keiko.domain.task.Task;
import dev.keiko.domain.page.KeysetCursor;
import dev.keiko.domain.task.TaskInsert;
import dev.keiko.domain.task.TaskPage;
import dev.keiko.domain.task.TaskPriority;
import dev.keiko.domain.task.TaskQuery;
import dev.keiko.domain.task.TaskStatus;
import dev.keiko.domain.task.TaskStore;
import dev.keiko.domain.user.Role;
import dev.keiko.workflows.task.StepLabels;
import dev.keiko.workflows.task.TaskTypes;
import io.temporal.client.WorkflowNotFoundException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Submits, reads, lists and cancels tasks. A task's row is written before its workflow starts, so no
 * workflow runs without its row; a workflow that Temporal refuses to start fails its task at once.
 */
@Service
public class TaskManagement {

    private static final Logger log = LoggerFactory.getLogger(TaskManagement.class);
    /** The permission to submit a task at priority {@code high} or {@code critical}. */
    static final String PRIORITIZE = "tasks:prioritize";

    private final TaskStore tasks;
    private final TaskWorkflows workflows;
    private final TaskStarter starter;
    private final TaskValidation validation;
    private final TaskRouting routing;
    private final TaskNarrowing narrowing;
    private final TaskOutcomes outcomes;
    private final TaskProperties properties;
    private final JsonMapper json;

    TaskManagement(TaskStore tasks, TaskWorkflows workflows, TaskStarter starter, TaskValidation validation,
            TaskRouting routing, TaskNarrowing narrowing, TaskOutcomes outcomes, TaskProperties properties,
            JsonMapper json) {
        this.routing = routing;
        this.narrowing = narrowing;
        this.tasks = tasks;
        this.workflows = workflows;
        this.starter = starter;
        this.validation = validation;
        this.outcomes = outcomes;
        this.properties = properties;
        this.json = json;
    }

    public Mono<TaskInsert> submit(CurrentUser user, TaskRequest request, String idempotencyKey) {
        user.require("tasks:create");
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 255)) {
            return Mono.error(Problems.badRequest("Idempotency-Key must be 1 to 255 characters"));
        }
        TaskPriority priority = priority(request.priority());
        if (priority == TaskPriority.HIGH || priority == TaskPriority.CRITICAL) {
            // Slots and task queues are served strictly by priority: one user's urgent tasks would push
            // everyone else's to the back of a shared agent's line until they time out.
            user.require(PRIORITIZE);
        }
        Map<String, Object> given = request.parameters() == null ? Map.of() : request.parameters();
        if (request.routingFields() == 0) {
            return routing.route(request).flatMap(route -> {
                int timeout = timeoutSeconds(request.timeoutSeconds());
                return store(user, route, new NarrowedTask(given, timeout),
                        requestHash(route.type(), given, priority, timeout), priority, idempotencyKey);
            });
        }
        // Where a routed task goes depends on the moment (capacity, what is active): a replay is not routed again.
        String hash = routedRequestHash(request, given, priority);
        Mono<TaskInsert> replay = idempotencyKey == null ? Mono.empty()
                : tasks.findByIdempotencyKey(user.id(), idempotencyKey).map(earlier -> new TaskInsert(earlier, false));
        return replay.flatMap(insert -> replayed(insert, hash, idempotencyKey))
                .switchIfEmpty(Mono.defer(() -> routing.route(request).flatMap(route -> store(user, route,
                        narrowing.narrow(route.agent(), given, request.timeoutSeconds()), hash, priority,
                        idempotencyKey))));
    }

    /** Validates the task as it will run, stores it and starts its workflow. */
    private Mono<TaskInsert> store(CurrentUser user, TaskRoute route, NarrowedTask effective, String hash,
            TaskPriority priority, String idempotencyKey) {
        NewTask task = new NewTask(user.id(), route.type(), json.valueToTree(effective.parameters()), priority,
                effective.timeoutSeconds(), idempotencyKey, hash, route.routedAgent());
        return validation.validate(user, route.type(), effective.parameters())
                .then(tasks.insert(task))
                .onErrorMap(AgentGoneException.class, e -> Problems.unprocessable("agent '" + e.agent().name()
                        + "' no longer exists"))
                .flatMap(insert -> insert.created()
                        ? start(insert.task()).map(started -> new TaskInsert(started, true))
                        : replayed(insert, hash, idempotencyKey));
    }

    private static Mono<TaskInsert> replayed(TaskInsert insert, String hash, String idempotencyKey) {
        return hash.equals(insert.task().requestHash()) ? Mono.just(insert)
                : Mono.error(Problems.unprocessable("Idempotency-Key '" + idempotencyKey
                        + "' was already used for a different request"));
    }

    /**
     * Starts a new task's workflow. A task whose workflow Temporal refuses as invalid fails at once.
     * When Temporal cannot be reached the task stays pending and is accepted all the same:
     * {@link TaskRepair} starts it once Temporal answers again.
     */
    Mono<Task> start(Task task) {
        return starter.start(task)
                .flatMap(outcome -> outcome == TaskStarter.Outcome.REFUSED ? tasks.findById(task.id())
                        : Mono.just(task))
                .onErrorResume(e -> {
                    log.warn("Could not start workflow {} now; the repair will: {}", task.workflowId(),
                            WorkflowStartFailures.reason(e));
                    return Mono.just(task);
                });
    }

    public Mono<Task> find(CurrentUser user, UUID id) {
        user.require("tasks:read");
        return tasks.findById(id)
                .filter(task -> canSee(user, task))
                .switchIfEmpty(Mono.error(() -> Problems.notFound("No task with id " + id)));
    }

    public Mono<TaskPage> list(CurrentUser user, String status, String type, String agentId, Integer limit,
            String cursor) {
        user.require("tasks:read");
        int size = limit == null ? 20 : limit;
        if (size < 1 || size > 100) {
            return Mono.error(Problems.badRequest("'limit' must be between 1 and 100"));
        }
        TaskStatus statusFilter;
        KeysetCursor after;
        UUID agentFilter;
        try {
            agentFilter = agentId == null || agentId.isBlank() ? null : agentId(agentId);
            statusFilter = status == null || status.isBlank() ? null : TaskStatus.of(status);
            after = cursor == null || cursor.isBlank() ? null : KeysetCursor.decode(cursor);
        } catch (IllegalArgumentException e) {
            return Mono.error(Problems.badRequest(e.getMessage()));
        }
        UUID owner = seesAll(user) ? null : user.id();
        return tasks.find(new TaskQuery(owner, statusFilter, type == null || type.isBlank() ? null : type,
                agentFilter, after, size));
    }

    public Mono<Task> cancel(CurrentUser user, UUID id) {
        return find(user, id).flatMap(task -> {
            if (!user.can("tasks:cancel") && !(task.ownerId().equals(user.id()) && user.can("tasks:create"))) {
                return Mono.error(Problems.of(HttpStatus.FORBIDDEN,
                        "Role '" + user.role().value() + "' may not cancel this task"));
            }
            if (task.status().isTerminal()) {
                return Mono.error(Problems.conflict("Task " + id + " has already ended with status '"
                        + task.status().value() + "'"));
            }
            return workflows.cancel(task)
                    .onErrorResume(WorkflowNotFoundException.class, e -> cancelWithoutWorkflow(task))
                    .then(outcomes.awaitEnd(task, Duration.ofSeconds(2)));
        });
    }

    /** No workflow to cancel: it never started, or it has just ended. */
    private Mono<Void> cancelWithoutWorkflow(Task task) {
        return tasks.findById(task.id()).flatMap(current -> {
            if (current.status().isTerminal()) {
                return Mono.error(Problems.conflict("Task " + task.id() + " has already ended with status '"
                        + current.status().value() + "'"));
            }
            return outcomes.cancel(current).then();
        });
    }

    static boolean seesAll(CurrentUser user) {
        return user.can("tasks:cancel") || user.role() == Role.VIEWER;
    }

    private static boolean canSee(CurrentUser user, Task task) {
        return seesAll(user) || task.ownerId().equals(user.id());
    }

    /** The workflow's summary in the Temporal Web UI, naming the agent of a routed task. */
    static String summary(Task task) {
        String agent = task.agent() == null ? "" : ", agent " + task.agent().name();
        return work(task) + agent;
    }

    private static String work(Task task) {
        JsonNode parameters = task.parameters();
        if (TaskTypes.TOOL.equals(task.type()) && parameters.has("server") && parameters.has("tool")) {
            return StepLabels.toolCall(parameters.get("server").asString(), parameters.get("tool").asString());
        }
        if (parameters.has("deployment") && parameters.get("deployment").isString()) {
            return task.type() + ": " + parameters.get("deployment").asString();
        }
        return task.type();
    }

    private static TaskPriority priority(String value) {
        if (value == null) {
            return TaskPriority.NORMAL;
        }
        try {
            return TaskPriority.of(value);
        } catch (IllegalArgumentException e) {
            throw Problems.badRequest("'priority' must be one of low, normal, high, critical; got '" + value + "'");
        }
    }

    private int timeoutSeconds(Long requested) {
        long max = properties.maxTimeout().toSeconds();
        if (requested == null) {
            return (int) properties.defaultTimeout().toSeconds();
        }
        if (requested > max) {
            throw Problems.badRequest("'timeoutSeconds' must be at most " + max);
        }
        return requested.intValue();
    }

    private static UUID agentId(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'agentId' must be a UUID");
        }
    }

    /** The hash of a routed request as it was asked: the agent it names or the capabilities, not the one chosen. */
    private String routedRequestHash(TaskRequest request, Map<String, Object> parameters, TaskPriority priority) {
        String routingFields = "agentId=" + request.agentId() + "\nagent=" + request.agent() + "\ncapabilities="
                + request.requiredCapabilities();
        return requestHash(request.type() + "\n" + routingFields, parameters, priority,
                request.timeoutSeconds() == null ? 0 : request.timeoutSeconds());
    }

    private String requestHash(String type, Map<String, Object> parameters, TaskPriority priority,
            long timeoutSeconds) {
        String canonical = type + "\n"
                + json.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).writeValueAsString(parameters) + "\n" + priority.value() + "\n"
                + timeoutSeconds;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
