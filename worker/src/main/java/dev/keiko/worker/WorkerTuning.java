package dev.keiko.worker;

import io.temporal.spring.boot.WorkerOptionsCustomizer;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;

/**
 * Worker options the starter's properties do not cover. The heartbeat throttle sets how soon a
 * cancelled activity learns of it: the SDK otherwise waits up to 0.8 × the heartbeat timeout.
 */
@Component
class WorkerTuning implements WorkerOptionsCustomizer {

    private final Settings settings;

    WorkerTuning(Settings settings) {
        this.settings = settings;
    }

    @Override
    public WorkerOptions.Builder customize(WorkerOptions.Builder options, String workerName, String taskQueue) {
        return options.setMaxHeartbeatThrottleInterval(settings.maxHeartbeatThrottleInterval());
    }

    @ConfigurationProperties("keiko.worker")
    record Settings(@DefaultValue("100ms") Duration maxHeartbeatThrottleInterval) {
    }
}
