package dev.keiko.api.task;

import io.temporal.api.common.v1.Payload;
import io.temporal.client.WorkflowClient;
import io.temporal.payload.context.WorkflowSerializationContext;

/** Payloads read from a workflow's history, decrypted as Keiko's data converter does for that workflow. */
final class HistoryPayloads {

    private HistoryPayloads() {
    }

    static <T> T decode(WorkflowClient client, String workflowId, Payload payload, Class<T> type) {
        return client.getOptions().getDataConverter()
                .withContext(new WorkflowSerializationContext(client.getOptions().getNamespace(), workflowId))
                .fromPayload(payload, type, type);
    }

    /** The payload's JSON as recorded before encryption. */
    static String json(WorkflowClient client, String workflowId, Payload payload) {
        return decode(client, workflowId, payload, com.fasterxml.jackson.databind.JsonNode.class).toString();
    }
}
