package dev.keiko.embedded;

import dev.keiko.workflows.search.KeikoSearchAttributes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Registers Keiko's search attributes ({@link KeikoSearchAttributes#DEFINITIONS}) in a namespace through the
 * operator service, as the dev system does at start-up. Idempotent: one at a time, an attribute the namespace
 * has already is left as it is (Temporal's test server refuses a request naming one it has; a real server
 * skips it).
 */
public final class SearchAttributeRegistration {

    private static final long CALL_TIMEOUT_SECONDS = 10;

    private SearchAttributeRegistration() {
    }

    /** Registers them on the server at {@code target}; answers the names it added (none when all were there). */
    public static List<String> register(String target, String namespace) {
        OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(
                OperatorServiceStubsOptions.newBuilder().setTarget(target).validateAndBuildWithDefaults());
        try {
            List<String> added = new ArrayList<>();
            for (Map.Entry<String, IndexedValueType> definition : KeikoSearchAttributes.DEFINITIONS.entrySet()) {
                try {
                    operator.blockingStub().withDeadlineAfter(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                            .addSearchAttributes(AddSearchAttributesRequest.newBuilder()
                                    .setNamespace(namespace)
                                    .putSearchAttributes(definition.getKey(), definition.getValue())
                                    .build());
                    added.add(definition.getKey());
                } catch (StatusRuntimeException e) {
                    if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
                        throw e;
                    }
                }
            }
            return added;
        } finally {
            operator.shutdown();
        }
    }
}
