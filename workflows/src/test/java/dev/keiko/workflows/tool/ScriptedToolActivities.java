package dev.keiko.workflows.tool;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Tool activities whose behaviour a test chooses: answer, fail N times first, fail for good, or hang. */
public class ScriptedToolActivities implements ToolActivities {

    public final AtomicInteger calls = new AtomicInteger();
    public final AtomicBoolean sawCancellation = new AtomicBoolean();
    private final int transientFailures;
    private final String failureType;
    private final boolean hang;

    private ScriptedToolActivities(int transientFailures, String failureType, boolean hang) {
        this.transientFailures = transientFailures;
        this.failureType = failureType;
        this.hang = hang;
    }

    public static ScriptedToolActivities answering() {
        return new ScriptedToolActivities(0, null, false);
    }

    public static ScriptedToolActivities failingTransiently(int times) {
        return new ScriptedToolActivities(times, null, false);
    }

    public static ScriptedToolActivities failingWith(String type) {
        return new ScriptedToolActivities(0, type, false);
    }

    public static ScriptedToolActivities hanging() {
        return new ScriptedToolActivities(0, null, true);
    }

    @Override
    public ToolCallOutput callTool(ToolCallInput input) {
        int call = calls.incrementAndGet();
        if (failureType != null) {
            throw ApplicationFailure.newNonRetryableFailure("tool said no", failureType);
        }
        if (call <= transientFailures) {
            throw new IllegalStateException("connection refused");
        }
        if (hang) {
            ActivityExecutionContext context = Activity.getExecutionContext();
            try {
                while (true) {
                    Thread.sleep(100);
                    context.heartbeat(null);
                }
            } catch (ActivityCompletionException e) {
                sawCancellation.set(true);
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw Activity.wrap(e);
            }
        }
        Object message = input.arguments() != null ? input.arguments().get("message") : input.argumentsJson();
        return new ToolCallOutput(List.of(Map.of("type", "text", "text", "echo: " + message)), null);
    }

    @Override
    public ListToolsOutput listTools(ListToolsInput input) {
        if (ToolFailureTypes.UNKNOWN_SERVER.equals(failureType)) {
            throw ApplicationFailure.newNonRetryableFailure("no server " + input.server(), failureType);
        }
        return new ListToolsOutput(List.of(new ToolDescriptor("echo", "Echo", "Echoes its input",
                Map.of("type", "object"))));
    }
}
