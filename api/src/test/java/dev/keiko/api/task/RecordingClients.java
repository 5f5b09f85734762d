package dev.keiko.api.task;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.interceptors.WorkflowClientCallsInterceptor;
import io.temporal.common.interceptors.WorkflowClientCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowClientInterceptorBase;
import java.util.List;

/** Clients like the application's that record the workflow ids of the calls a test counts. */
final class RecordingClients {

    private RecordingClients() {
    }

    /** Records the workflow id of every start. */
    static WorkflowClient recordingStarts(WorkflowClient client, List<String> started) {
        return withInterceptor(client, next -> new WorkflowClientCallsInterceptorBase(next) {
            @Override
            public WorkflowStartOutput start(WorkflowStartInput input) {
                started.add(input.getWorkflowId());
                return super.start(input);
            }
        });
    }

    /** Records the workflow id of every describe. */
    static WorkflowClient recordingDescribes(WorkflowClient client, List<String> described) {
        return withInterceptor(client, next -> new WorkflowClientCallsInterceptorBase(next) {
            @Override
            public DescribeWorkflowOutput describe(DescribeWorkflowInput input) {
                described.add(input.getWorkflowExecution().getWorkflowId());
                return super.describe(input);
            }
        });
    }

    private interface Calls {
        WorkflowClientCallsInterceptor wrap(WorkflowClientCallsInterceptor next);
    }

    private static WorkflowClient withInterceptor(WorkflowClient client, Calls calls) {
        WorkflowClientInterceptorBase interceptor = new WorkflowClientInterceptorBase() {
            @Override
            public WorkflowClientCallsInterceptor workflowClientCallsInterceptor(WorkflowClientCallsInterceptor next) {
                return calls.wrap(next);
            }
        };
        return WorkflowClient.newInstance(client.getWorkflowServiceStubs(),
                WorkflowClientOptions.newBuilder(client.getOptions()).setInterceptors(interceptor).build());
    }
}
