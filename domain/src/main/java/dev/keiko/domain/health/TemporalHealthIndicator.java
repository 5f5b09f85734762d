package dev.keiko.domain.health;

import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Whether the Temporal frontend answers, for the {@code temporal} entry of every Keiko process's health
 * (and its readiness group): one {@code GetSystemInfo}, the cheapest call every server and the dev server
 * answer, with a short deadline. Says only UP or DOWN and the gRPC status, never the target's credentials.
 */
class TemporalHealthIndicator extends AbstractHealthIndicator {

    static final Duration DEADLINE = Duration.ofSeconds(2);

    private final WorkflowServiceStubs stubs;

    TemporalHealthIndicator(WorkflowServiceStubs stubs) {
        super("Temporal health check failed");
        this.stubs = stubs;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        stubs.blockingStub().withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
        builder.up();
    }
}
