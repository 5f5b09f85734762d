package dev.keiko.worker;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.spring.boot.TemporalOptionsCustomizer;
import io.temporal.worker.WorkerFactoryOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Observes each activity (observation {@code keiko.activity}, tagged with the activity type) inside the span
 * Temporal's tracing interceptor opened for it, so that what the activity does through Micrometer, its
 * R2DBC queries above all, joins the task's trace: a query runs on a driver thread, and finds its parent
 * only in the observation that {@code block()} carries there. Put first in the worker's interceptors, which
 * makes it the innermost, inside the {@code RunActivity} span.
 */
@Component
class ActivityObservations implements TemporalOptionsCustomizer<WorkerFactoryOptions.Builder> {

    private final ObservationRegistry registry;

    ActivityObservations(ObservationRegistry registry) {
        this.registry = registry;
    }

    @Override
    public WorkerFactoryOptions.Builder customize(WorkerFactoryOptions.Builder options) {
        WorkerInterceptor[] configured = options.build().getWorkerInterceptors();
        List<WorkerInterceptor> interceptors = new ArrayList<>();
        interceptors.add(new Interceptor(registry));
        if (configured != null) {
            interceptors.addAll(Arrays.asList(configured));
        }
        return options.setWorkerInterceptors(interceptors.toArray(WorkerInterceptor[]::new));
    }

    private static final class Interceptor extends WorkerInterceptorBase {

        private final ObservationRegistry registry;

        Interceptor(ObservationRegistry registry) {
            this.registry = registry;
        }

        @Override
        public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
            return new ActivityInboundCallsInterceptorBase(next) {
                private String type = "unknown";

                @Override
                public void init(ActivityExecutionContext context) {
                    type = context.getInfo().getActivityType();
                    super.init(context);
                }

                @Override
                public ActivityOutput execute(ActivityInput input) {
                    return Observation.createNotStarted("keiko.activity", registry)
                            .contextualName("activity " + type)
                            .lowCardinalityKeyValue("activity.type", type)
                            .observe(() -> super.execute(input));
                }
            };
        }
    }
}
