package dev.keiko.workflows.tool;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Tool activities that hold each task's call, heartbeating, until the test lets it answer or fail. */
public class GatedToolActivities implements ToolActivities {

    /** The tasks whose calls run now. */
    public final Set<String> running = ConcurrentHashMap.newKeySet();
    private final Map<String, Boolean> decided = new ConcurrentHashMap<>();

    public void answer(String taskId) {
        decided.put(taskId, true);
    }

    public void fail(String taskId) {
        decided.put(taskId, false);
    }

    @Override
    public ToolCallOutput callTool(ToolCallInput input) {
        ActivityExecutionContext context = Activity.getExecutionContext();
        running.add(input.taskId());
        try {
            while (!decided.containsKey(input.taskId())) {
                Thread.sleep(50);
                context.heartbeat(null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Activity.wrap(e);
        } finally {
            running.remove(input.taskId());
        }
        if (!decided.get(input.taskId())) {
            throw ApplicationFailure.newNonRetryableFailure("tool said no", ToolFailureTypes.TOOL_ERROR);
        }
        return new ToolCallOutput(List.of(Map.of("type", "text", "text", "done")), null);
    }

    @Override
    public ListToolsOutput listTools(ListToolsInput input) {
        throw new UnsupportedOperationException("only tool tasks use these");
    }
}
