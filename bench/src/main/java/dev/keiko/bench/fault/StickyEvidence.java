package dev.keiko.bench.fault;

import dev.keiko.bench.system.Api;
import dev.keiko.bench.system.BenchProcess;
import dev.keiko.bench.system.BenchSystem;
import dev.keiko.bench.system.WorkerOptions;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What Temporal's test server does when a worker with sticky queues is killed: two sticky workers, tool tasks held at
 * the tool, one worker killed; after 30 s (on a Temporal server, a sticky queue's schedule-to-start timeout of 5 s
 * moves its tasks to the normal queue) the tasks not completed are stuck, and their histories' last events say where.
 * The stuck workflows stay running; the survivor is stopped.
 */
final class StickyEvidence {

    private static final String PREFIX = "fault-sticky-";

    private StickyEvidence() {
    }

    record Result(int submitted, long stuck, long boundToVictim, String note) {
    }

    static Result run(BenchSystem system, int n) {
        List<BenchProcess> workers = Faults.startWorkers(system, List.of(
                WorkerOptions.named("worker-sticky-1").withSticky(true),
                WorkerOptions.named("worker-sticky-2").withSticky(true)));
        system.warmToolCatalog();
        String run = PREFIX + UUID.randomUUID().toString().substring(0, 8) + "-";
        Injections injections = new Injections();
        for (Api.Response response : SharedIdempotencyKeyScenario.concurrently(n,
                new Numbered(i -> system.submitHold(run + i, 3000)))) {
            BenchSystem.taskId(response);
        }
        injections.at(n + " tasks (3 s at the tool) submitted to two workers with sticky queues");
        TaskEnds.sleep(Duration.ofSeconds(1));
        // The worker that completed more of the tasks' workflow tasks: their next ones wait on its sticky queue.
        List<String> identities = Faults.rows(system, run).stream().map(r -> lastWorkflowTaskBy(system, r.workflowId()))
                .toList();
        BenchProcess victim = workers.stream().max(java.util.Comparator.comparingLong(
                w -> identities.stream().filter(i -> i.startsWith(w.pid() + "@")).count())).orElseThrow();
        BenchProcess survivor = workers.stream().filter(w -> w != victim).findFirst().orElseThrow();
        victim.kill9();
        injections.at("kill -9 " + victim.name() + " (pid " + victim.pid() + "), which completed the last workflow"
                + " task of " + identities.stream().filter(i -> i.startsWith(victim.pid() + "@")).count() + " tasks");
        TaskEnds.sleep(Duration.ofSeconds(30));
        List<Faults.Row> rows = Faults.rows(system, run);
        List<Faults.Row> stuck = rows.stream().filter(r -> !r.status().equals("completed")).toList();
        injections.at(stuck.size() + " of " + n + " tasks not completed");
        long boundToVictim = rows.stream().filter(r -> lastWorkflowTaskBy(system, r.workflowId())
                .startsWith(victim.pid() + "@")).count();
        String histories = stuck.stream().limit(2).map(r -> r.workflowId() + ": " + lastEvents(system, r.workflowId()))
                .collect(Collectors.joining("; "));
        system.stopWorker(survivor);
        String note = "Sticky queues on (the SDK's default), Temporal's standalone test server: " + injections.note()
                + " Tasks whose last completed workflow task was the killed worker's (its sticky queue holds their"
                + " next one): " + boundToVictim + "." + " Statuses then: " + rows.stream().collect(Collectors.groupingBy(Faults.Row::status,
                        Collectors.counting())) + ". Last events of stuck workflows: "
                + (histories.isEmpty() ? "none stuck" : histories) + ". A workflow task scheduled on the killed"
                + " worker's sticky queue is never handed to the normal queue by the test server (a Temporal server"
                + " does so after the sticky schedule-to-start timeout, 5 s): such tasks never end; hence no sticky"
                + " queues on the dev system, nor below.";
        return new Result(n, stuck.size(), boundToVictim, note);
    }

    /** The identity of the worker that completed the workflow's last workflow task ({@code pid@host}), or "". */
    private static String lastWorkflowTaskBy(BenchSystem system, String workflowId) {
        String identity = "";
        for (HistoryEvent event : history(system, workflowId)) {
            if (event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
                identity = event.getWorkflowTaskCompletedEventAttributes().getIdentity();
            }
        }
        return identity;
    }

    private static List<HistoryEvent> history(BenchSystem system, String workflowId) {
        return system.workflowClient().getWorkflowServiceStubs().blockingStub()
                .getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest.newBuilder().setNamespace("default")
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build())
                .getHistory().getEventsList();
    }

    /** Answers the next index's call each time. */
    private record Numbered(IntFunction<Api.Response> call, AtomicInteger next) implements Supplier<Api.Response> {

        Numbered(IntFunction<Api.Response> call) {
            this(call, new AtomicInteger());
        }

        @Override
        public Api.Response get() {
            return call.apply(next.getAndIncrement());
        }
    }

    /** The last 3 events of a workflow's history: type, and for a scheduled workflow task its queue and kind. */
    private static String lastEvents(BenchSystem system, String workflowId) {
        List<HistoryEvent> events = history(system, workflowId);
        return events.subList(Math.max(0, events.size() - 3), events.size()).stream().map(StickyEvidence::describe)
                .collect(Collectors.joining(", "));
    }

    private static String describe(HistoryEvent event) {
        String type = event.getEventType().name().replace("EVENT_TYPE_", "");
        if (event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED) {
            var queue = event.getWorkflowTaskScheduledEventAttributes().getTaskQueue();
            return type + " on " + queue.getKind().name().replace("TASK_QUEUE_KIND_", "") + " queue "
                    + queue.getName();
        }
        return type;
    }
}
