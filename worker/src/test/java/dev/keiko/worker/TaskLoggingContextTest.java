package dev.keiko.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** With Boot's structured (ECS JSON) logging on, a task's activity and workflow log lines name the task. */
@ExtendWith(OutputCaptureExtension.class)
class TaskLoggingContextTest {

    private static final String QUEUE = "logging-context";

    @Test
    void jsonLogLinesOfATasksActivityAndWorkflowCarryItsTaskIdAndWorkflowId(CapturedOutput output) {
        String taskId = UUID.randomUUID().toString();
        ConfigurableApplicationContext logging = new SpringApplicationBuilder(LoggingOnly.class)
                .web(WebApplicationType.NONE).properties("logging.structured.format.console=ecs").run();
        try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
                        .setWorkerFactoryOptions(WorkerFactoryOptions.newBuilder()
                                .setWorkerInterceptors(new TaskLoggingContext()).build())
                        .build())) {
            Worker worker = env.newWorker(QUEUE);
            worker.registerWorkflowImplementationTypes(ProbeWorkflowImpl.class);
            worker.registerActivitiesImplementations(new ProbeActivitiesImpl());
            env.start();

            env.getWorkflowClient().newWorkflowStub(ProbeWorkflow.class, WorkflowOptions.newBuilder()
                    .setWorkflowId("task-" + taskId).setTaskQueue(QUEUE).build()).run();

            List<JsonNode> lines = output.getOut().lines().filter(line -> line.startsWith("{"))
                    .map(line -> JsonMapper.builder().build().readTree(line)).toList();
            assertThat(lines).filteredOn(line -> line.path("message").asString().equals("activity probe"))
                    .singleElement().satisfies(line -> {
                        assertThat(line.path("taskId").asString()).isEqualTo(taskId);
                        assertThat(line.path("workflowId").asString()).isEqualTo("task-" + taskId);
                    });
            assertThat(lines).filteredOn(line -> line.path("message").asString().equals("workflow probe"))
                    .singleElement().satisfies(line -> {
                        assertThat(line.path("taskId").asString()).isEqualTo(taskId);
                        assertThat(line.path("workflowId").asString()).isEqualTo("task-" + taskId);
                    });
        } finally {
            logging.close();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class LoggingOnly {
    }

    @WorkflowInterface
    public interface ProbeWorkflow {

        @WorkflowMethod
        void run();
    }

    public static class ProbeWorkflowImpl implements ProbeWorkflow {

        private static final Logger log = Workflow.getLogger(ProbeWorkflowImpl.class);

        @Override
        public void run() {
            log.info("workflow probe");
            Workflow.newActivityStub(ProbeActivities.class, ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofSeconds(10)).build()).probe();
        }
    }

    @ActivityInterface
    public interface ProbeActivities {

        void probe();
    }

    static class ProbeActivitiesImpl implements ProbeActivities {

        private static final Logger log = LoggerFactory.getLogger(ProbeActivitiesImpl.class);

        @Override
        public void probe() {
            log.info("activity probe");
        }
    }
}
