package dev.keiko.api.search;

import dev.keiko.workflows.search.KeikoSearchAttributes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.scheduler.Schedulers;

/**
 * Whether the namespace has Keiko's search attributes registered, so that the workflows the API starts may carry
 * them: a server refuses to start a workflow with one it does not know. Asked once (the operator service's
 * ListSearchAttributes), at start-up and off the event loop; an answer that did not come (Temporal unreachable
 * or busy) is asked again at the next start, and a refusal to list them (a server that cannot, or a namespace that
 * does not let us) counts as not registered.
 */
@Component
public class NamespaceSearchAttributes {

    private static final Logger log = LoggerFactory.getLogger(NamespaceSearchAttributes.class);
    private static final long LIST_TIMEOUT_SECONDS = 10;
    private static final Set<Status.Code> TRANSIENT = Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED,
            Status.Code.RESOURCE_EXHAUSTED);

    private final WorkflowClient client;
    private final SearchAttributeProperties properties;
    private volatile Boolean registered;

    public NamespaceSearchAttributes(WorkflowClient client, SearchAttributeProperties properties) {
        this.client = client;
        this.properties = properties;
    }

    /** Whether workflows may carry Keiko's search attributes; the first call asks Temporal: not on the event loop. */
    public boolean registered() {
        Boolean known = registered;
        if (known != null) {
            return known;
        }
        return switch (properties.use()) {
            case ALWAYS -> remember(true);
            case NEVER -> remember(false);
            case DETECT -> detect();
        };
    }

    @EventListener(ApplicationReadyEvent.class)
    void checkAtStartUp() {
        Schedulers.boundedElastic().schedule(this::registered);
    }

    private synchronized boolean detect() {
        if (registered != null) {
            return registered;
        }
        String namespace = client.getOptions().getNamespace();
        OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(
                OperatorServiceStubsOptions.newBuilder(client.getWorkflowServiceStubs().getOptions())
                        .validateAndBuildWithDefaults());
        try {
            List<String> missing = KeikoSearchAttributes.missingFrom(operator.blockingStub()
                    .withDeadlineAfter(LIST_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .listSearchAttributes(ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build())
                    .getCustomAttributesMap());
            if (missing.isEmpty()) {
                log.info("Namespace {} has Keiko's search attributes: task workflows carry them", namespace);
            } else {
                log.warn("Namespace {} lacks Keiko's search attributes {} (or has them with another type): workflows"
                        + " start without any; register them with 'temporal operator search-attribute create' and"
                        + " restart the API", namespace, missing);
            }
            return remember(missing.isEmpty());
        } catch (StatusRuntimeException e) {
            if (TRANSIENT.contains(e.getStatus().getCode())) {
                log.warn("Could not list the search attributes of namespace {}; asking again at the next start: {}",
                        namespace, e.getStatus());
                return false;
            }
            // Temporal's test server cannot list them (UNIMPLEMENTED); a cloud namespace may not let us.
            log.info("Temporal did not list the search attributes of namespace {} ({}): workflows start without"
                    + " Keiko's; set keiko.temporal.search-attributes.use=always if it has them", namespace,
                    e.getStatus().getCode());
            return remember(false);
        } finally {
            operator.shutdown();
        }
    }

    private boolean remember(boolean answer) {
        registered = answer;
        return answer;
    }
}
