package dev.keiko.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.embedded.EmbeddedServices;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import io.temporal.worker.tuning.PollerBehaviorAutoscaling;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.context.ConfigurableApplicationContext;

class WorkerTuningTest {

    @Test
    void theDefaultsReachTheWorkerOptions() {
        WorkerOptions options = customize(Map.of());

        assertThat(options.getMaxConcurrentWorkflowTaskExecutionSize()).isEqualTo(50);
        assertThat(options.getMaxConcurrentActivityExecutionSize()).isEqualTo(100);
        assertThat(options.getMaxConcurrentWorkflowTaskPollers()).isEqualTo(2);
        assertThat(options.getMaxConcurrentActivityTaskPollers()).isEqualTo(4);
        assertThat(options.getWorkflowTaskPollersBehavior()).isNull();
        assertThat(options.isUsingVirtualThreadsOnActivityWorker()).isTrue();
        assertThat(options.getMaxHeartbeatThrottleInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(options.getStickyQueueScheduleToStartTimeout()).isNull();
        assertThat(options.getAllowActivityHeartbeatDuringShutdown()).isTrue();
    }

    @Test
    void pollerAutoscalingScalesEachPollerCountUpToItsMaximum() {
        WorkerOptions options = customize(Map.of("keiko.worker.poller-autoscaling", "true",
                "keiko.worker.workflow-task-pollers", "6", "keiko.worker.activity-task-pollers", "10"));

        assertThat(options.getWorkflowTaskPollersBehavior()).isEqualTo(new PollerBehaviorAutoscaling(1, 6, 2));
        assertThat(options.getActivityTaskPollersBehavior()).isEqualTo(new PollerBehaviorAutoscaling(1, 10, 2));
        assertThat(options.getMaxConcurrentWorkflowTaskPollers()).isZero();
    }

    @Test
    void theSettingsReachTheRunningWorker() {
        List<String> args = new ArrayList<>();
        EmbeddedServices.shared().properties().forEach((key, value) -> args.add("--" + key + "=" + value));
        args.addAll(List.of("--server.port=0", "--keiko.worker.workflow-task-slots=7",
                "--keiko.worker.activity-task-slots=9", "--keiko.worker.activity-task-pollers=3",
                "--keiko.worker.virtual-threads=false"));
        try (ConfigurableApplicationContext worker = WorkerApplication.builder().run(args.toArray(String[]::new))) {
            WorkerOptions options = worker.getBean(WorkerFactory.class).getWorker("keiko-tasks").getWorkerOptions();

            assertThat(options.getMaxConcurrentWorkflowTaskExecutionSize()).isEqualTo(7);
            assertThat(options.getMaxConcurrentActivityExecutionSize()).isEqualTo(9);
            assertThat(options.getMaxConcurrentActivityTaskPollers()).isEqualTo(3);
            assertThat(options.isUsingVirtualThreadsOnActivityWorker()).isFalse();
            assertThat(options.getStickyQueueScheduleToStartTimeout()).isEqualTo(Duration.ZERO);
            assertThat(options.getAllowActivityHeartbeatDuringShutdown()).isTrue();

            WorkerOptions control = worker.getBean(WorkerFactory.class).getWorker("keiko-control").getWorkerOptions();
            assertThat(control.getMaxConcurrentActivityTaskPollers()).isEqualTo(1);
            assertThat(control.getMaxConcurrentWorkflowTaskExecutionSize()).isEqualTo(10);
            assertThat(control.getStickyQueueScheduleToStartTimeout()).isEqualTo(Duration.ZERO);
        }
    }

    private static WorkerOptions customize(Map<String, String> properties) {
        WorkerTuning.Settings settings = new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("keiko.worker", WorkerTuning.Settings.class);
        return new WorkerTuning(settings).customize(WorkerOptions.newBuilder(), "keiko-tasks", "keiko-tasks").build();
    }
}
