package dev.keiko.bench.fault;

import dev.keiko.bench.report.Figure;
import dev.keiko.bench.report.ScenarioResult;
import dev.keiko.bench.report.Target;
import dev.keiko.bench.scenario.Scenario;
import dev.keiko.bench.scenario.ScenarioOptions;
import dev.keiko.bench.system.Api;
import dev.keiko.bench.system.BenchSystem;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.common.v1.WorkflowExecution;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * Rounds of 50 submissions of one tool task sent at once with one Idempotency-Key: each round must make one row, one
 * workflow and one tool call, and answer every submission 202 with the same task; the same key with another body
 * answers 422.
 */
public final class SharedIdempotencyKeyScenario implements Scenario {

    private static final String PREFIX = "fault-key-";
    private FaultCounts counts;

    @Override
    public String name() {
        return "shared-idempotency-key";
    }

    @Override
    public String measures() {
        return "Rounds of 50 concurrent POST /api/v1/tasks of one tool task with one Idempotency-Key: every answer"
                + " 202 with one task id, one row, one workflow and one tool call per key; the key reused with another"
                + " body answers 422.";
    }

    /** The counts of the last run. */
    public FaultCounts counts() {
        return counts;
    }

    @Override
    public ScenarioResult run(BenchSystem system) {
        ScenarioOptions options = ScenarioOptions.current();
        int rounds = options.count(name() + ".rounds", 10, 2);
        int concurrency = options.integer(name() + ".concurrency", 50);
        Faults.aWorker(system, "worker-key");
        system.warmToolCatalog();
        String run = PREFIX + UUID.randomUUID().toString().substring(0, 8) + "-";
        Injections injections = new Injections();
        long answers2xx = 0;
        long otherAnswers = 0;
        long roundsWithOneId = 0;
        long otherBodyRefused = 0;
        List<String> otherStatuses = new ArrayList<>();
        Set<UUID> acceptedIds = new LinkedHashSet<>();
        for (int round = 0; round < rounds; round++) {
            String label = run + round;
            String key = "key-" + UUID.randomUUID();
            injections.at(concurrency + " submissions of " + label + " with Idempotency-Key " + key + " at once");
            List<Api.Response> responses = concurrently(concurrency,
                    () -> Faults.submitHold(system, system.api(), label, 100, key));
            Set<String> ids = new HashSet<>();
            for (Api.Response response : responses) {
                if (response.status() == 202) {
                    answers2xx++;
                    ids.add(response.json().path("id").asString());
                    acceptedIds.add(BenchSystem.taskId(response));
                } else {
                    otherAnswers++;
                    otherStatuses.add(response.status() + " " + response.body());
                }
            }
            roundsWithOneId += ids.size() == 1 ? 1 : 0;
            Api.Response other = Faults.submitHold(system, system.api(), label + "-other", 100, key);
            otherBodyRefused += other.status() == 422 ? 1 : 0;
            if (other.status() != 422) {
                otherStatuses.add("other body: " + other.status() + " " + other.body());
            }
        }
        List<CompletableFuture<?>> watches = acceptedIds.stream()
                .<CompletableFuture<?>>map(id -> system.watcher().watch(id, "completed")).toList();
        FaultCounts.Tally tally = Faults.awaitCompleted(system, watches, Duration.ofSeconds(60), otherStatuses);
        long rows = 0;
        long workflowsCompleted = 0;
        for (int round = 0; round < rounds; round++) {
            List<Faults.Row> found = Faults.rowsLabelled(system, run + round);
            rows += found.size();
            for (Faults.Row row : found) {
                workflowsCompleted += status(system, row.workflowId())
                        == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED ? 1 : 0;
            }
        }
        ToolCalls calls = new ToolCalls();
        calls.add(system.tool().stats());
        long toolCalls = 0;
        long missingCalls = 0;
        for (int round = 0; round < rounds; round++) {
            toolCalls += calls.starts(run + round);
            missingCalls += calls.starts(run + round) == 0 ? 1 : 0;
        }
        long duplicated = Math.max(0, rows - rounds) + calls.duplicated(run);
        counts = tally.counts(acceptedIds.size(), duplicated, true);
        List<String> notes = new ArrayList<>();
        notes.add(injections.note());
        notes.add("A submission answered 202 counts as 2xx; the key reused with another body must answer 422"
                + " Unprocessable Entity (Keiko's documented answer, RFC 9457 problem), not 409.");
        if (!otherStatuses.isEmpty()) {
            notes.add("Other answers (first 5): " + String.join("; ", otherStatuses.subList(0,
                    Math.min(5, otherStatuses.size()))));
        }
        return FaultResults.of(name(), measures(), counts, List.of(
                new Figure("submissions", (long) rounds * concurrency, "requests"),
                new Figure("answers 202", answers2xx, "requests"),
                new Figure("other answers", otherAnswers, "requests"),
                new Figure("keys answered with one task id", roundsWithOneId, "keys"),
                new Figure("task rows", rows, "rows"),
                new Figure("workflows completed", workflowsCompleted, "workflows"),
                new Figure("tool calls", toolCalls, "calls"),
                new Figure("keys reused with another body answered 422", otherBodyRefused, "keys")),
                List.of(Target.atMost("answers other than 202", 0, otherAnswers, "requests",
                                "see the notes for what they were"),
                        Target.atLeast("keys answered with one task id", rounds, roundsWithOneId, "keys",
                                "a key answered with more than one task"),
                        Target.atMost("keys without a tool call", 0, missingCalls, "keys",
                                "a task completed without its tool call reaching the tool"),
                        Target.atLeast("keys reused with another body answered 422", rounds, otherBodyRefused,
                                "keys", "see the notes for what they answered")),
                notes);
    }

    static WorkflowExecutionStatus status(BenchSystem system, String workflowId) {
        try {
            return system.workflowClient().getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
                    DescribeWorkflowExecutionRequest.newBuilder().setNamespace("default")
                            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build())
                    .getWorkflowExecutionInfo().getStatus();
        } catch (io.grpc.StatusRuntimeException e) {
            return WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_UNSPECIFIED;
        }
    }

    /** Runs {@code call} on {@code n} virtual threads released at once; answers every response. */
    static List<Api.Response> concurrently(int n, java.util.function.Supplier<Api.Response> call) {
        CountDownLatch gate = new CountDownLatch(1);
        List<Api.Response> responses = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    gate.await();
                    responses.add(call.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    responses.add(new Api.Response(-1, e.toString(), 0));
                }
            }));
        }
        gate.countDown();
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return List.copyOf(responses);
    }
}
