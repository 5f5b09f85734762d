package dev.keiko.workflows.task;

/** How a {@link TaskRunner}'s run ended. */
sealed interface TaskOutcome {

    /** The task completed with {@code data}, JSON-like maps and lists. */
    record Completed(Object data, RunMetadata metadata) implements TaskOutcome {
    }

    /** The task failed for a reason of its own, named by one of {@link TaskErrorTypes}. */
    record Failed(String errorType, String message, RunMetadata metadata) implements TaskOutcome {
    }

    /**
     * The task's cancel cut a model call short ({@link CancelledModelCalls#cutShort()}); the run stopped with what
     * the call had written.
     */
    record Cancelled(PartialAnswer answer, RunMetadata metadata) implements TaskOutcome {
    }

    /** The run's history is long: the task goes on in a new run from {@code checkpoint}. */
    record ContinueAsNew(AgentCheckpoint checkpoint) implements TaskOutcome {
    }
}
