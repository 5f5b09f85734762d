package dev.keiko.bench.fault;

import dev.keiko.bench.report.Figure;
import dev.keiko.bench.report.ScenarioResult;
import dev.keiko.bench.report.Target;
import dev.keiko.bench.scenario.Scenario;
import dev.keiko.bench.scenario.ScenarioOptions;
import dev.keiko.bench.system.Api;
import dev.keiko.bench.system.BenchProcess;
import dev.keiko.bench.system.BenchSystem;
import dev.keiko.bench.system.WorkerOptions;
import dev.keiko.workflows.task.TaskWorkflowIds;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * PostgreSQL stops as a crash would ({@link dev.keiko.embedded.EmbeddedPostgresServer#crash}) while tool and
 * completion tasks are submitted and run, and starts again on the same port and data after the outage. Counted at
 * the client: what the API answered to submissions, reads, lists and logins while the database was down and after;
 * then every accepted task must end completed, with its row's status the same as its workflow's. Run alone with
 * {@code -Dbench=database-outage}.
 */
public final class DatabaseOutageScenario implements Scenario {

    static final String SUBMIT = "POST /api/v1/tasks";
    static final String READ = "GET /api/v1/tasks/{id}";
    static final String LIST = "GET /api/v1/tasks";
    static final String LOGIN = "POST /api/v1/auth/token";
    private static final Duration BEFORE = Duration.ofSeconds(5);
    private static final Duration AFTER = Duration.ofSeconds(3);
    private static final Duration PROBE_EVERY = Duration.ofMillis(250);
    private static final Duration END_TIMEOUT = Duration.ofMinutes(3);
    /** Tool call labels of this run: the submission's number after this prefix, unique to the run. */
    private final String labels = "outage-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    // Long enough that calls are in flight when the database stops, and their outcomes written after it.
    private static final long TOOL_HOLD_MILLIS = 1500;
    private static final Duration MODEL_LATENCY = Duration.ofMillis(1500);
    private static final String PROBE_USER = "outage-probe";
    private static final String PROBE_PASSWORD = "outage-probe-password";

    private final Duration outage;
    private final Duration submitEvery;

    public DatabaseOutageScenario() {
        this(Duration.ofSeconds(ScenarioOptions.current().integer("database-outage.seconds", 20)),
                Duration.ofMillis(ScenarioOptions.current().integer("database-outage.submit-every-ms", 100)));
    }

    /** PostgreSQL down for {@code outage}, a task submitted every {@code submitEvery} from before it to after. */
    public DatabaseOutageScenario(Duration outage, Duration submitEvery) {
        this.outage = outage;
        this.submitEvery = submitEvery;
    }

    @Override
    public String name() {
        return "database-outage";
    }

    @Override
    public String measures() {
        return "PostgreSQL stopped for " + outage.toSeconds() + " s (immediate shutdown) and started again while tool"
                + " and completion tasks are submitted and run: the API's answers meanwhile (503, never 500), no"
                + " accepted task lost, rows' status equal to their workflows' after recovery.";
    }

    @Override
    public ScenarioResult run(BenchSystem system) {
        Outcome outcome = measure(system);
        List<Target> targets = new ArrayList<>(outcome.counts().targets());
        targets.add(Target.atMost("5xx other than 503", 0, outcome.answers().total(ApiAnswers.OTHER_5XX, null),
                "answers", "the API answered 5xx other than 503; see the notes"));
        targets.add(Target.atMost("503 not problem+json", 0,
                outcome.answers().total(ApiAnswers.UNAVAILABLE_NOT_PROBLEM, null), "answers",
                "a 503 came without a problem body"));
        List<Figure> figures = new ArrayList<>(outcome.counts().figures());
        figures.add(new Figure("outage, stop begun to server accepting again", outcome.outageSeconds(), "s"));
        figures.add(new Figure("tasks stored beyond those accepted", outcome.storedBeyondAccepted(), "tasks"));
        figures.add(new Figure("recovery to every task ended", outcome.catchUpSeconds(), "s"));
        outcome.answers().all().forEach((key, count) -> figures.add(new Figure(key, count, "answers")));
        List<String> notes = new ArrayList<>();
        notes.add("A task was submitted every " + submitEvery.toMillis() + " ms (tool tasks holding "
                + TOOL_HOLD_MILLIS + " ms, and completion tasks whose model answers in " + MODEL_LATENCY.toMillis()
                + " ms, alternately) from " + BEFORE.toSeconds() + " s before the stop to "
                + AFTER.toSeconds() + " s after the server accepted connections again; a read of an accepted task, a"
                + " list and a login every " + PROBE_EVERY.toMillis() + " ms.");
        notes.add("A 503 is problem+json when its body carries \"status\":503.");
        outcome.answers().examples().forEach((key, example) -> notes.add("First answer of " + key + ": " + example));
        outcome.unexpected().forEach(task -> notes.add("Not as expected: " + task));
        return new ScenarioResult(name(), measures(), figures, targets, notes);
    }

    /** Runs the load and the outage on {@code system} (starting its worker) and counts what happened. */
    public Outcome measure(BenchSystem system) {
        BenchProcess worker = system.startWorker(WorkerOptions.named("worker-database-outage"));
        system.warmToolCatalog();
        system.api().post("/api/v1/users", system.adminToken(), Map.of("username", PROBE_USER, "password",
                PROBE_PASSWORD, "role", "user")).expect(201);
        long storedBefore = storedTasks(system);
        system.model().latency(MODEL_LATENCY);
        ApiAnswers answers = new ApiAnswers();
        AtomicBoolean down = new AtomicBoolean();
        AtomicBoolean running = new AtomicBoolean(true);
        List<UUID> accepted = new CopyOnWriteArrayList<>();
        Thread submitter = Thread.ofVirtual().start(() -> submit(system, answers, down, running, accepted));
        Thread prober = Thread.ofVirtual().start(() -> probe(system, answers, down, running, accepted));
        TaskEnds.sleep(BEFORE);
        long stopped = System.nanoTime();
        // "Down" runs from the server stopped to the restart begun: answers while the stop or the restart runs
        // count as answers while up (either may come first), so that an answer counted while down is one PostgreSQL
        // certainly could not give.
        system.postgres().crash(system.options().logDir().resolve("postgres-outage.log"));
        down.set(true);
        TaskEnds.sleep(outage);
        down.set(false);
        system.postgres().restart();
        long recovered = System.nanoTime();
        TaskEnds.sleep(AFTER);
        running.set(false);
        join(submitter);
        join(prober);

        Map<UUID, TaskEnds.Row> rows = TaskEnds.await(system, accepted, END_TIMEOUT);
        double catchUp = (System.nanoTime() - recovered) / 1e9;
        FaultCounts.Tally tally = new FaultCounts.Tally();
        List<String> unexpected = new ArrayList<>();
        long closeDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (UUID id : accepted) {
            TaskEnds.Row row = rows.get(id);
            String workflow = closedWorkflowStatus(system, id, closeDeadline);
            if (row != null && row.status().equals("completed") && workflow.equals("completed")) {
                tally.completed();
                continue;
            }
            // Not ended, or no row or workflow, is lost; an end other than completed, or a row disagreeing with its
            // workflow, is an end the outage does not explain.
            if (row == null || !row.ended() || workflow.equals("missing")) {
                tally.lost();
            } else {
                tally.endedOtherwise();
            }
            unexpected.add(id + ": row " + row + ", workflow " + workflow);
        }
        long storedBeyond = storedTasks(system) - storedBefore - accepted.size();
        system.stopWorker(worker);
        system.model().latency(Duration.ZERO);
        answers.all().forEach((key, count) -> BenchSystem.say("database-outage: " + key + ": " + count));
        answers.examples().forEach((key, example) -> BenchSystem.say("database-outage: first of " + key + ": "
                + example));
        unexpected.forEach(task -> BenchSystem.say("database-outage: not as expected: " + task));
        // Tool calls started more than once for one task (a retry across the outage): reported, since Keiko's tool
        // calls carry no idempotency key.
        ToolCalls calls = new ToolCalls();
        calls.add(system.tool().stats());
        FaultCounts counts = tally.counts(accepted.size(), calls.duplicated(labels), false);
        return new Outcome(counts, answers, (recovered - stopped) / 1e9, catchUp, storedBeyond, unexpected);
    }

    private void submit(BenchSystem system, ApiAnswers answers, AtomicBoolean down, AtomicBoolean running,
            List<UUID> accepted) {
        for (int i = 0; running.get(); i++) {
            Map<String, Object> task = i % 2 == 0
                    ? Map.of("type", "tool", "parameters", Map.of("server", BenchSystem.TOOL_SERVER, "tool",
                            "hold", "arguments", Map.of("label", labels + i, "millis", TOOL_HOLD_MILLIS)))
                    : Map.of("type", "completion", "parameters", Map.of("prompt", "Outage task " + i));
            Api.Response response = answers.count(SUBMIT, down.get(),
                    () -> system.api().post("/api/v1/tasks", system.adminToken(), task));
            if (response != null && response.status() == 202) {
                accepted.add(BenchSystem.taskId(response));
            }
            TaskEnds.sleep(submitEvery);
        }
    }

    private static void probe(BenchSystem system, ApiAnswers answers, AtomicBoolean down, AtomicBoolean running,
            List<UUID> accepted) {
        while (running.get()) {
            if (!accepted.isEmpty()) {
                UUID id = accepted.getFirst();
                answers.count(READ, down.get(), () -> system.api().get("/api/v1/tasks/" + id, system.adminToken()));
            }
            answers.count(LIST, down.get(), () -> system.api().get("/api/v1/tasks?limit=5", system.adminToken()));
            answers.count(LOGIN, down.get(), () -> system.api().post("/api/v1/auth/token", null,
                    Map.of("username", PROBE_USER, "password", PROBE_PASSWORD)));
            TaskEnds.sleep(PROBE_EVERY);
        }
    }

    /**
     * The task's workflow status once it has closed: the row is written by the workflow's last activity, so the
     * workflow may still be running for a moment after its row ended; "running" only if it still is at
     * {@code deadline} (one for all the tasks, 10 s after the first is read).
     */
    private static String closedWorkflowStatus(BenchSystem system, UUID id, long deadline) {
        String status = workflowStatus(system, id);
        while (status.equals("running") && System.nanoTime() < deadline) {
            TaskEnds.sleep(Duration.ofMillis(100));
            status = workflowStatus(system, id);
        }
        return status;
    }

    /** The task's workflow status in lower case, or "missing" when Temporal does not describe it. */
    private static String workflowStatus(BenchSystem system, UUID id) {
        WorkflowExecutionStatus status = SharedIdempotencyKeyScenario.status(system,
                TaskWorkflowIds.forTask(id.toString()));
        return status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_UNSPECIFIED ? "missing"
                : status.name().replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase(Locale.ROOT);
    }

    private static long storedTasks(BenchSystem system) {
        return system.watcher().query(connection -> {
            try (var statement = connection.createStatement();
                    var count = statement.executeQuery("SELECT count(*) FROM tasks")) {
                count.next();
                return count.getLong(1);
            }
        });
    }

    private static void join(Thread thread) {
        try {
            thread.join(Duration.ofSeconds(90));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * What one run counted.
     *
     * @param outageSeconds from the stop begun to the server accepting connections again
     * @param catchUpSeconds from the server accepting connections again to every accepted task ended in the read model
     * @param storedBeyondAccepted task rows stored for submissions the API did not accept
     * @param unexpected the accepted tasks that did not end completed in both the read model and Temporal
     */
    public record Outcome(FaultCounts counts, ApiAnswers answers, double outageSeconds, double catchUpSeconds,
            long storedBeyondAccepted, List<String> unexpected) {
    }
}
