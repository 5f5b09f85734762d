package dev.keiko.workflows.search;

import dev.keiko.workflows.task.TaskStatuses;
import io.temporal.common.SearchAttributes;
import java.util.List;

/**
 * What a task workflow starts with in {@link KeikoSearchAttributes}: its kind {@code task}, status
 * {@code pending}, and the task's own fields. The workflow keeps {@link KeikoSearchAttributes#STATUS} current.
 *
 * @param type the task type
 * @param priority low, normal, high or critical
 * @param ownerId the submitter's user id
 * @param agentId the agent the task was routed to; null for a task outside any agent
 * @param deployment the model deployment of a completion, image or agent task; null for a tool task
 * @param servers the MCP servers the task may call; empty for a completion or image task
 */
public record TaskSearchAttributes(String type, String priority, String ownerId, String agentId, String deployment,
        List<String> servers) {

    public TaskSearchAttributes {
        servers = servers == null ? List.of() : List.copyOf(servers);
    }

    public SearchAttributes toSearchAttributes() {
        SearchAttributes.Builder attributes = SearchAttributes.newBuilder()
                .set(KeikoSearchAttributes.KIND, KeikoSearchAttributes.KIND_TASK)
                .set(KeikoSearchAttributes.TASK_TYPE, type)
                .set(KeikoSearchAttributes.STATUS, TaskStatuses.PENDING)
                .set(KeikoSearchAttributes.PRIORITY, priority)
                .set(KeikoSearchAttributes.OWNER, ownerId);
        if (agentId != null) {
            attributes.set(KeikoSearchAttributes.AGENT_ID, agentId);
        }
        if (deployment != null) {
            attributes.set(KeikoSearchAttributes.DEPLOYMENT, deployment);
        }
        if (!servers.isEmpty()) {
            attributes.set(KeikoSearchAttributes.SERVERS, servers);
        }
        return attributes.build();
    }
}
