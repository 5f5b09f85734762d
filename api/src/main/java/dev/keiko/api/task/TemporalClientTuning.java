package dev.keiko.api.task;

import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.spring.boot.TemporalOptionsCustomizer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Bounds the API's progress queries: without a worker to answer, a query would hold its
 * bounded-elastic thread for the SDK's default query timeout long after the request gave up.
 */
@Component
class TemporalClientTuning implements TemporalOptionsCustomizer<WorkflowServiceStubsOptions.Builder> {

    static final Duration QUERY_TIMEOUT = Duration.ofSeconds(3);

    @Override
    public WorkflowServiceStubsOptions.Builder customize(WorkflowServiceStubsOptions.Builder options) {
        return options.setRpcQueryTimeout(QUERY_TIMEOUT);
    }
}
