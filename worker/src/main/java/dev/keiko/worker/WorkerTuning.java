package dev.keiko.worker;

import dev.keiko.workflows.TaskQueues;
import io.temporal.spring.boot.WorkerOptionsCustomizer;
import io.temporal.worker.WorkerOptions;
import io.temporal.worker.tuning.PollerBehaviorAutoscaling;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;
import org.springframework.validation.annotation.Validated;

/**
 * Worker options from {@code keiko.worker.*}, which the starter's properties do not cover. Activities
 * may heartbeat while the worker drains ({@link WorkerDrain}): the SDK otherwise fails their heartbeats
 * once shutdown begins, which would cut short the very calls a drain waits for.
 */
@Component
class WorkerTuning implements WorkerOptionsCustomizer {

    private static final int CONTROL_SLOTS = 10;

    private final Settings settings;

    WorkerTuning(Settings settings) {
        this.settings = settings;
    }

    @Override
    public WorkerOptions.Builder customize(WorkerOptions.Builder options, String workerName, String taskQueue) {
        options.setMaxHeartbeatThrottleInterval(settings.maxHeartbeatThrottleInterval())
                .setUsingVirtualThreadsOnActivityWorker(settings.virtualThreads())
                .setAllowActivityHeartbeatDuringShutdown(true);
        if (settings.stickyQueueScheduleToStartTimeout() != null) {
            options.setStickyQueueScheduleToStartTimeout(settings.stickyQueueScheduleToStartTimeout());
        }
        if (TaskQueues.CONTROL.equals(taskQueue)) {
            // A lookup now and then: a few slots and the fewest polls the SDK allows.
            return options.setMaxConcurrentWorkflowTaskExecutionSize(CONTROL_SLOTS)
                    .setMaxConcurrentActivityExecutionSize(CONTROL_SLOTS)
                    .setMaxConcurrentWorkflowTaskPollers(2)
                    .setMaxConcurrentActivityTaskPollers(1);
        }
        options.setMaxConcurrentWorkflowTaskExecutionSize(settings.workflowTaskSlots())
                .setMaxConcurrentActivityExecutionSize(settings.activityTaskSlots());
        if (settings.pollerAutoscaling()) {
            options.setWorkflowTaskPollersBehavior(autoscaling(settings.workflowTaskPollers()))
                    .setActivityTaskPollersBehavior(autoscaling(settings.activityTaskPollers()));
        } else {
            options.setMaxConcurrentWorkflowTaskPollers(settings.workflowTaskPollers())
                    .setMaxConcurrentActivityTaskPollers(settings.activityTaskPollers());
        }
        return options;
    }

    private static PollerBehaviorAutoscaling autoscaling(int maximum) {
        return new PollerBehaviorAutoscaling(1, maximum, Math.min(maximum, 2));
    }

    /**
     * How a worker polls and how much it runs at once.
     *
     * @param maxHeartbeatThrottleInterval how often at most an activity's heartbeats reach Temporal, and so
     *     how soon a cancelled activity learns of it: the SDK otherwise waits up to 0.8 × the heartbeat timeout
     * @param stickyQueueScheduleToStartTimeout unset for the SDK's default (5 s); 0 turns sticky execution
     *     off, which the embedded dev server needs: it keeps sending a workflow's tasks to the sticky queue of
     *     the worker that last ran it, even once that worker is gone
     * @param workflowTaskSlots workflow tasks run at once. They are short CPU work (a replay, a few
     *     decisions, milliseconds each, and at times a local activity's few database statements): more than a
     *     few dozen per worker only queue inside the JVM, where Temporal cannot hand them to a less busy
     *     worker
     * @param activityTaskSlots activities run at once: tool and model calls, which mostly wait on the
     *     network. Each may hold a tool's output (up to {@code keiko.mcp.max-tool-output}, 1 MB) or a
     *     conversation in memory, so the default keeps a worker with a 512 MB heap safe; raise it with the
     *     heap, lower it to spread calls over more workers. A drain waits for at most this many
     * @param workflowTaskPollers long polls kept open for workflow tasks (the autoscaling maximum when
     *     {@code pollerAutoscaling})
     * @param activityTaskPollers long polls kept open for activity tasks (likewise)
     * @param pollerAutoscaling let the SDK scale each poller count between 1 and its maximum from what the
     *     server's answers say about the backlog: fewer idle polls on a quiet queue, more on a busy one
     * @param virtualThreads run activities on virtual threads: an activity spends its life waiting on a
     *     tool or a model while heartbeating, and a platform thread would hold a 1 MB stack for that
     * @param shutdownGrace on SIGTERM, how long the worker lets its activities in flight finish after it
     *     stops polling, before it interrupts them (Temporal then retries them on another worker). Longer
     *     than a usual tool or model call; keep the orchestrator's kill timeout (Kubernetes'
     *     {@code terminationGracePeriodSeconds}, compose's {@code stop_grace_period}) at least 10 s above it
     */
    @Validated
    @ConfigurationProperties("keiko.worker")
    record Settings(
            @DefaultValue("100ms") @NotNull Duration maxHeartbeatThrottleInterval,
            Duration stickyQueueScheduleToStartTimeout,
            @DefaultValue("50") @Min(1) @Max(10_000) int workflowTaskSlots,
            @DefaultValue("100") @Min(1) @Max(10_000) int activityTaskSlots,
            @DefaultValue("2") @Min(1) @Max(100) int workflowTaskPollers,
            @DefaultValue("4") @Min(1) @Max(100) int activityTaskPollers,
            @DefaultValue("false") boolean pollerAutoscaling,
            @DefaultValue("true") boolean virtualThreads,
            @DefaultValue("30s") @NotNull Duration shutdownGrace) {
    }
}
