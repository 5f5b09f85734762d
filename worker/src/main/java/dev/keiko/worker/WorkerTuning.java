package dev.keiko.worker;

import io.temporal.spring.boot.WorkerOptionsCustomizer;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;

/**
 * Worker options the starter's properties do not cover. The heartbeat throttle sets how soon a
 * cancelled activity learns of it: the SDK otherwise waits up to 0.8 × the heartbeat timeout. A
 * sticky-queue timeout of zero turns sticky execution off, which the embedded dev server needs: it
 * keeps sending a workflow's tasks to the sticky queue of the worker that last ran it, even once
 * that worker is gone.
 */
@Component
class WorkerTuning implements WorkerOptionsCustomizer {

    private final Settings settings;

    WorkerTuning(Settings settings) {
        this.settings = settings;
    }

    @Override
    public WorkerOptions.Builder customize(WorkerOptions.Builder options, String workerName, String taskQueue) {
        options.setMaxHeartbeatThrottleInterval(settings.maxHeartbeatThrottleInterval());
        if (settings.stickyQueueScheduleToStartTimeout() != null) {
            options.setStickyQueueScheduleToStartTimeout(settings.stickyQueueScheduleToStartTimeout());
        }
        return options;
    }

    /**
     * @param stickyQueueScheduleToStartTimeout unset for the SDK's default (5 s); 0 turns sticky execution off
     */
    @ConfigurationProperties("keiko.worker")
    record Settings(
            @DefaultValue("100ms") Duration maxHeartbeatThrottleInterval,
            Duration stickyQueueScheduleToStartTimeout) {
    }
}
