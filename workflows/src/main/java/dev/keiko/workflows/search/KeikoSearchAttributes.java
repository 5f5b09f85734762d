package dev.keiko.workflows.search;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

/**
 * The custom search attributes Keiko sets on its workflows, so that the Temporal Web UI can filter them, for
 * example {@code KeikoTaskType = "agent" AND KeikoStatus = "awaiting_approval"}. They hold ids, types and
 * names only: never prompt text, and of people only their user id.
 *
 * <p>A namespace must have them registered ({@link #DEFINITIONS}) before a workflow may carry them: a server
 * refuses to start a workflow with an unknown one. Keiko's dev system registers them at start-up; a production
 * namespace gets them from {@code temporal operator search-attribute create}.
 */
public final class KeikoSearchAttributes {

    /** What the workflow is: {@link #KIND_TASK}, {@link #KIND_TOOL_CATALOG} or {@link #KIND_AGENT_SLOTS}. */
    public static final SearchAttributeKey<String> KIND = SearchAttributeKey.forKeyword("KeikoKind");
    /** The task's type: tool, completion, image or agent. */
    public static final SearchAttributeKey<String> TASK_TYPE = SearchAttributeKey.forKeyword("KeikoTaskType");
    /** The task's status as the API shows it, kept current by the task workflow. */
    public static final SearchAttributeKey<String> STATUS = SearchAttributeKey.forKeyword("KeikoStatus");
    /** The task's priority: low, normal, high or critical. */
    public static final SearchAttributeKey<String> PRIORITY = SearchAttributeKey.forKeyword("KeikoPriority");
    /** The submitter's user id (a UUID; never a name or an e-mail address). */
    public static final SearchAttributeKey<String> OWNER = SearchAttributeKey.forKeyword("KeikoOwner");
    /** The id of the agent the task was routed to; absent for a task outside any agent. */
    public static final SearchAttributeKey<String> AGENT_ID = SearchAttributeKey.forKeyword("KeikoAgentId");
    /** The model deployment of a completion, image or agent task. */
    public static final SearchAttributeKey<String> DEPLOYMENT = SearchAttributeKey.forKeyword("KeikoDeployment");
    /** The MCP servers the task may call. */
    public static final SearchAttributeKey<List<String>> SERVERS = SearchAttributeKey.forKeywordList("KeikoServers");

    public static final String KIND_TASK = "task";
    public static final String KIND_TOOL_CATALOG = "tool-catalog";
    public static final String KIND_AGENT_SLOTS = "agent-slots";

    /** Every attribute by name with its type, in the order the README lists them: what a namespace registers. */
    public static final SequencedMap<String, IndexedValueType> DEFINITIONS = definitions();

    private KeikoSearchAttributes() {
    }

    /** The attributes of a Keiko workflow that is not a task: its kind alone. */
    public static SearchAttributes ofKind(String kind) {
        return SearchAttributes.newBuilder().set(KIND, kind).build();
    }

    /** Of {@link #DEFINITIONS}, the names {@code registered} lacks or holds with another type. */
    public static List<String> missingFrom(Map<String, IndexedValueType> registered) {
        return DEFINITIONS.entrySet().stream()
                .filter(definition -> registered.get(definition.getKey()) != definition.getValue())
                .map(Map.Entry::getKey)
                .toList();
    }

    private static SequencedMap<String, IndexedValueType> definitions() {
        SequencedMap<String, IndexedValueType> definitions = new LinkedHashMap<>();
        for (SearchAttributeKey<?> key : List.of(KIND, TASK_TYPE, STATUS, PRIORITY, OWNER, AGENT_ID, DEPLOYMENT,
                SERVERS)) {
            definitions.put(key.getName(), key.getValueType());
        }
        return Collections.unmodifiableSequencedMap(definitions);
    }
}
