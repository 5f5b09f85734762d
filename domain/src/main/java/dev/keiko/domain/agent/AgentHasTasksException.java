package dev.keiko.domain.agent;

/** An agent cannot be deleted while it has tasks pending, running or awaiting approval. */
public class AgentHasTasksException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long unfinished;

    public AgentHasTasksException(long unfinished) {
        super(unfinished + " of the agent's tasks are pending, running or awaiting approval");
        this.unfinished = unfinished;
    }

    public long unfinished() {
        return unfinished;
    }
}
