package dev.keiko.bench.fault;

import dev.keiko.bench.fakes.ModelFake;
import dev.keiko.bench.report.Figure;
import dev.keiko.bench.report.ScenarioResult;
import dev.keiko.bench.report.Target;
import dev.keiko.bench.scenario.Scenario;
import dev.keiko.bench.scenario.ScenarioOptions;
import dev.keiko.bench.system.Api;
import dev.keiko.bench.system.BenchProcess;
import dev.keiko.bench.system.BenchSystem;
import dev.keiko.bench.system.WorkerOptions;
import dev.keiko.workflows.llm.LlmFailureTypes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Completion tasks against a model that answers 30% of requests 429 with {@code Retry-After}, 10% 500 and 5% later
 * than the worker's {@code keiko.llm.response-timeout}; a few tasks are refused 400 or 401 on every request. Every
 * other task must complete, no retry may reach the model before the {@code Retry-After} of the 429 before it, and a
 * refused task must fail at once with its error type after exactly one request. Run alone with
 * {@code -Dbench=model-faults}.
 */
public final class ModelFaultsScenario implements Scenario {

    static final long RETRY_AFTER_SECONDS = 3;
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(1);
    static final Duration SLOW_BY = Duration.ofSeconds(3);
    private static final double[] RATES = {0.30, 0.10, 0.05};
    private static final Map<Integer, String> REFUSALS = Map.of(400, LlmFailureTypes.BAD_REQUEST,
            401, LlmFailureTypes.AUTHENTICATION_FAILED);
    private static final Duration END_TIMEOUT = Duration.ofMinutes(3);

    private final int tasks;
    private final int refused;

    public ModelFaultsScenario() {
        this(ScenarioOptions.current().count("model-faults.n", 200, 12),
                ScenarioOptions.current().count("model-faults.refused", 10, 2));
    }

    /** {@code tasks} completion tasks meeting the faults, and {@code refused} more refused 400 or 401. */
    public ModelFaultsScenario(int tasks, int refused) {
        this.tasks = tasks;
        this.refused = refused;
    }

    @Override
    public String name() {
        return "model-faults";
    }

    @Override
    public String measures() {
        return "Completion tasks against a model answering 30% 429 (Retry-After " + RETRY_AFTER_SECONDS + " s), 10% 500"
                + " and 5% past the response timeout, and tasks refused 400/401: all others complete, no retry comes"
                + " before Retry-After, a refused task fails after one request.";
    }

    @Override
    public ScenarioResult run(BenchSystem system) {
        Outcome outcome = measure(system);
        List<Target> targets = new ArrayList<>(outcome.counts().targets());
        targets.add(Target.atMost("retries sooner than Retry-After", 0, outcome.earlyRetries(), "requests",
                outcome.earlyRetries() + " request(s) reached the model before the Retry-After of the 429 before"
                        + " them"));
        targets.add(Target.atMost("requests after a non-retryable refusal", 0, outcome.requestsAfterRefusal(),
                "requests", outcome.requestsAfterRefusal() + " request(s) retried a 400 or 401"));
        List<Figure> figures = new ArrayList<>(outcome.counts().figures());
        figures.add(new Figure("model requests", outcome.requests(), "requests"));
        figures.add(new Figure("429 answers sent", outcome.rateLimited(), "answers"));
        figures.add(new Figure("500 answers sent", outcome.serverErrors(), "answers"));
        figures.add(new Figure("answers later than the response timeout", outcome.slowAnswers(), "answers"));
        figures.add(new Figure("shortest wait after a 429 before the next request", outcome.shortestWaitMillis(),
                "ms"));
        figures.add(new Figure("first submission to every task ended", outcome.seconds(), "s"));
        List<String> notes = new ArrayList<>(List.of(
                "Each 429 carries Retry-After: " + RETRY_AFTER_SECONDS + " (longer than the model call's first"
                        + " backoff, 2 s, so that only honouring it meets the target); the worker runs with"
                        + " keiko.llm.response-timeout=" + RESPONSE_TIMEOUT.toSeconds() + "s and a slow answer"
                        + " comes " + SLOW_BY.toSeconds() + " s late.",
                "A call meets at most " + ModelFaultPlan.MAX_FAULTS_PER_CALL + " faults (the model call has 6"
                        + " attempts), so that every task not refused can complete.",
                "A wait is measured at the fake, per task: from the moment the 429 was written to the next request"
                        + " carrying the task's marker."));
        outcome.unexpected().forEach(task -> notes.add("Not as expected: " + task));
        notes.addAll(outcome.notes());
        return new ScenarioResult(name(), measures(), figures, targets, notes);
    }

    /** Runs the tasks on {@code system} (starting its worker) and counts what happened. */
    public Outcome measure(BenchSystem system) {
        BenchProcess worker = system.startWorker(WorkerOptions.named("worker-model-faults")
                .withProperties(Map.of("keiko.llm.response-timeout", RESPONSE_TIMEOUT.toMillis() + "ms")));
        Map<String, Integer> refusedMarkers = new LinkedHashMap<>();
        List<String> markers = new ArrayList<>();
        for (int i = 0; i < tasks + refused; i++) {
            String marker = ModelFake.marker(UUID.randomUUID());
            markers.add(marker);
            if (i >= tasks) {
                refusedMarkers.put(marker, i % 2 == 0 ? 400 : 401);
            }
        }
        ModelFaultPlan plan = new ModelFaultPlan(refusedMarkers, RATES, RETRY_AFTER_SECONDS, SLOW_BY, 20261202L);
        system.model().reset();
        system.model().latency(Duration.ZERO).script(ModelFake.AgentScript.answerOnly("Done.")).failures(plan);
        long started = System.nanoTime();
        Map<UUID, String> ids = new LinkedHashMap<>();
        long refusedAtSubmission = 0;
        for (String marker : markers) {
            Api.Response response = system.api().post("/api/v1/tasks", system.adminToken(), Map.of("type",
                    "completion", "parameters", Map.of("prompt", "Benchmark task " + marker)));
            if (response.status() == 202) {
                ids.put(BenchSystem.taskId(response), marker);
            } else {
                refusedAtSubmission++;
            }
        }
        Map<UUID, TaskEnds.Row> rows = TaskEnds.await(system, ids.keySet(), END_TIMEOUT);
        double seconds = (System.nanoTime() - started) / 1e9;
        system.model().failures(request -> null);
        system.stopWorker(worker);

        FaultCounts.Tally tally = new FaultCounts.Tally();
        long requestsAfterRefusal = 0;
        long duplicated = 0;
        List<String> unexpected = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Map.Entry<UUID, String> task : ids.entrySet()) {
            TaskEnds.Row row = rows.get(task.getKey());
            String marker = task.getValue();
            Integer status = refusedMarkers.get(marker);
            int requests = system.model().arrivals(marker).size();
            long answered = system.model().answers(marker).stream().filter(a -> a.status() == 200).count();
            duplicated += Math.max(0, answered - 1);
            if (answered > 1) {
                notes.add(task.getKey() + " answered 200 " + answered + " times: " + history(system.model(), marker));
            }
            if (status != null) {
                requestsAfterRefusal += Math.max(0, requests - 1);
                boolean asExpected = row != null && row.status().equals("failed")
                        && REFUSALS.get(status).equals(row.errorType()) && requests == 1;
                if (asExpected) {
                    tally.failedAsExpected();
                } else {
                    unexpectedEnd(tally, row);
                    unexpected.add(task.getKey() + " (refused " + status + "): " + row + ", " + requests + " requests: "
                            + history(system.model(), marker));
                }
            } else if (row != null && row.status().equals("completed")) {
                tally.completed();
            } else {
                unexpectedEnd(tally, row);
                unexpected.add(task.getKey() + ": " + row + ": " + history(system.model(), marker));
            }
        }
        unexpected.forEach(task -> BenchSystem.say("model-faults: not as expected: " + task));
        notes.forEach(note -> BenchSystem.say("model-faults: " + note));
        RetryWaits waits = RetryWaits.of(system.model(), ids.values(), Duration.ofSeconds(RETRY_AFTER_SECONDS));
        FaultCounts counts = tally.counts(ids.size(), duplicated, false);
        return new Outcome(counts, refusedAtSubmission, system.model().requests(), plan.rateLimited(),
                plan.serverErrors(), plan.slowAnswers(), waits.early(), waits.shortestMillis(), requestsAfterRefusal,
                seconds, unexpected, notes);
    }

    /** A task's requests and answers at the fake, in ms from its first request. */
    private static String history(ModelFake model, String marker) {
        List<Long> arrivals = model.arrivals(marker);
        long first = arrivals.isEmpty() ? 0 : arrivals.getFirst();
        StringBuilder text = new StringBuilder();
        arrivals.forEach(at -> text.append(" request@").append((at - first) / 1_000_000));
        model.answers(marker).forEach(answer -> text.append(" ").append(answer.status()).append('@')
                .append((answer.sentAtNanos() - first) / 1_000_000));
        return text.toString().trim();
    }

    /** A task not as expected is lost when it has no row or has not ended, and ended otherwise when it has. */
    private static void unexpectedEnd(FaultCounts.Tally tally, TaskEnds.Row row) {
        if (row == null || !row.ended()) {
            tally.lost();
        } else {
            tally.endedOtherwise();
        }
    }

    /**
     * What one run counted.
     *
     * @param refusedAtSubmission submissions the API did not accept (not counted in {@code counts})
     * @param earlyRetries requests that reached the model sooner after a 429 than its Retry-After
     * @param shortestWaitMillis the shortest time from a 429 to the next request of its task; -1 when no 429 was sent
     * @param requestsAfterRefusal requests beyond the first of the tasks refused 400 or 401
     * @param unexpected the tasks that did not end as expected, with how they ended
     * @param notes what else was seen of single tasks: answers given more than once
     */
    public record Outcome(FaultCounts counts, long refusedAtSubmission, long requests, long rateLimited,
            long serverErrors, long slowAnswers, long earlyRetries, double shortestWaitMillis,
            long requestsAfterRefusal, double seconds, List<String> unexpected, List<String> notes) {
    }
}
