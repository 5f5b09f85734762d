package dev.keiko.activities.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.keiko.workflows.llm.LlmActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Runs the LLM activities under Temporal's test environment, so heartbeats and cancellation are
 * real, with a single attempt, so failures show as they are.
 */
final class LlmActivityEnvironment implements AutoCloseable {

    private final TestActivityEnvironment environment = TestActivityEnvironment.newInstance();
    private final LlmActivities activities;

    LlmActivityEnvironment(LlmActivities implementation) {
        environment.registerActivitiesImplementations(implementation);
        activities = environment.newActivityStub(LlmActivities.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(2))
                .setHeartbeatTimeout(Duration.ofSeconds(2))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
    }

    LlmActivities activities() {
        return activities;
    }

    /** Hears the activity's heartbeats, whose details are the milliseconds it has waited. */
    void onHeartbeat(Consumer<Long> listener) {
        environment.setActivityHeartbeatListener(Long.class, listener::accept);
    }

    void requestCancel() {
        environment.requestCancelActivity();
    }

    /** The application failure the activity ended with. */
    static ApplicationFailure failure(Runnable call) {
        Throwable thrown = catchThrowable(call::run);
        assertThat(thrown).isInstanceOf(ActivityFailure.class);
        assertThat(thrown.getCause()).isInstanceOf(ApplicationFailure.class);
        return (ApplicationFailure) thrown.getCause();
    }

    @Override
    public void close() {
        environment.close();
    }
}
