package dev.keiko.activities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Runs activities under Temporal's test environment, so heartbeats and cancellation are real, with
 * a 2 s heartbeat timeout and a single attempt, so failures show as they are.
 */
public class ActivityEnvironment<T> implements AutoCloseable {

    private final TestActivityEnvironment environment = TestActivityEnvironment.newInstance();
    private final T activities;

    protected ActivityEnvironment(Class<T> type, T implementation, Duration startToClose) {
        environment.registerActivitiesImplementations(implementation);
        activities = environment.newActivityStub(type, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(startToClose)
                .setHeartbeatTimeout(Duration.ofSeconds(2))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
    }

    public T activities() {
        return activities;
    }

    /** Hears the activity's heartbeats, whose details are the milliseconds it has been running. */
    public void onHeartbeat(Consumer<Long> listener) {
        environment.setActivityHeartbeatListener(Long.class, listener::accept);
    }

    /** Hears the activity's heartbeats of that type. */
    public <D> void onHeartbeat(Class<D> type, Consumer<D> listener) {
        environment.setActivityHeartbeatListener(type, listener::accept);
    }

    /** What the next activity finds as the heartbeat details of its previous attempt. */
    public void setPreviousAttemptsHeartbeat(Object details) {
        environment.setHeartbeatDetails(details);
    }

    public void requestCancel() {
        environment.requestCancelActivity();
    }

    /** The application failure the activity ended with. */
    public static ApplicationFailure failure(Runnable call) {
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
