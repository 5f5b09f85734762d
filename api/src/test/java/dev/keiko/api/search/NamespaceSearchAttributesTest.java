package dev.keiko.api.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.workflows.search.KeikoSearchAttributes;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesResponse;
import io.temporal.api.operatorservice.v1.OperatorServiceGrpc;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the API decides from the namespace's list of search attributes, against a gRPC operator service that answers
 * as a Temporal server would (the test server cannot list them).
 */
class NamespaceSearchAttributesTest {

    private final ScriptedOperator operator = new ScriptedOperator();
    private Server server;
    private WorkflowServiceStubs stubs;

    @AfterEach
    void stop() {
        if (stubs != null) {
            stubs.shutdownNow();
        }
        if (server != null) {
            server.shutdownNow();
        }
    }

    @Test
    void aNamespaceWithAllOfThemHasThemAndIsAskedOnce() throws IOException {
        operator.answers.add(Map.copyOf(KeikoSearchAttributes.DEFINITIONS));

        NamespaceSearchAttributes namespace = detecting("keiko");

        assertThat(namespace.registered()).isTrue();
        assertThat(namespace.registered()).isTrue();
        assertThat(operator.calls.get()).isEqualTo(1);
        assertThat(operator.namespaces).containsExactly("keiko");
    }

    @Test
    void aNamespaceLackingOneOrHoldingOneWithAnotherTypeHasNone() throws IOException {
        Map<String, IndexedValueType> lacking = new HashMap<>(KeikoSearchAttributes.DEFINITIONS);
        lacking.remove("KeikoServers");
        Map<String, IndexedValueType> mistyped = new HashMap<>(KeikoSearchAttributes.DEFINITIONS);
        mistyped.put("KeikoStatus", IndexedValueType.INDEXED_VALUE_TYPE_TEXT);
        operator.answers.add(lacking);
        operator.answers.add(mistyped);

        assertThat(detecting("default").registered()).isFalse();
        assertThat(detecting("default").registered()).isFalse();
        assertThat(KeikoSearchAttributes.missingFrom(mistyped)).containsExactly("KeikoStatus");
    }

    @Test
    void anUnansweredListIsAskedAgainAtTheNextStart() throws IOException {
        operator.answers.add(Status.UNAVAILABLE);
        operator.answers.add(Map.copyOf(KeikoSearchAttributes.DEFINITIONS));
        NamespaceSearchAttributes namespace = detecting("default");

        assertThat(namespace.registered()).isFalse();
        assertThat(namespace.registered()).isTrue();
        assertThat(operator.calls.get()).isEqualTo(2);
    }

    @Test
    void aRefusalToListThemCountsAsNoneAndIsNotAskedAgain() throws IOException {
        operator.answers.add(Status.PERMISSION_DENIED);
        NamespaceSearchAttributes namespace = detecting("default");

        assertThat(namespace.registered()).isFalse();
        assertThat(namespace.registered()).isFalse();
        assertThat(operator.calls.get()).isEqualTo(1);
    }

    @Test
    void alwaysAndNeverAskNothing() throws IOException {
        start();
        WorkflowClient client = client("default");

        assertThat(new NamespaceSearchAttributes(client, new SearchAttributeProperties(SearchAttributeProperties.Use
                .ALWAYS)).registered()).isTrue();
        assertThat(new NamespaceSearchAttributes(client, new SearchAttributeProperties(SearchAttributeProperties.Use
                .NEVER)).registered()).isFalse();
        assertThat(operator.calls.get()).isZero();
    }

    private NamespaceSearchAttributes detecting(String namespace) throws IOException {
        if (server == null) {
            start();
        }
        return new NamespaceSearchAttributes(client(namespace),
                new SearchAttributeProperties(SearchAttributeProperties.Use.DETECT));
    }

    private void start() throws IOException {
        server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create()).addService(operator).build()
                .start();
        stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget("127.0.0.1:" + server.getPort()).build());
    }

    private WorkflowClient client(String namespace) {
        return WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
    }

    /** Answers each list with the next scripted attributes, or fails it with the next scripted status. */
    private static final class ScriptedOperator extends OperatorServiceGrpc.OperatorServiceImplBase {

        final List<Object> answers = new CopyOnWriteArrayList<>();
        final List<String> namespaces = new CopyOnWriteArrayList<>();
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public void listSearchAttributes(ListSearchAttributesRequest request,
                StreamObserver<ListSearchAttributesResponse> response) {
            namespaces.add(request.getNamespace());
            switch (answers.get(calls.getAndIncrement())) {
                case Status status -> response.onError(status.asRuntimeException());
                case Map<?, ?> attributes -> {
                    ListSearchAttributesResponse.Builder listed = ListSearchAttributesResponse.newBuilder();
                    attributes.forEach((name, type) -> listed.putCustomAttributes((String) name,
                            (IndexedValueType) type));
                    response.onNext(listed.build());
                    response.onCompleted();
                }
                default -> throw new IllegalStateException("unscripted");
            }
        }
    }
}
