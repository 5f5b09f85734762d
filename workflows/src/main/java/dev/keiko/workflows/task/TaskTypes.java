package dev.keiko.workflows.task;

import java.util.Set;

/** The task types a task workflow knows how to run. */
public final class TaskTypes {

    /** One call of one tool on one MCP server: parameters {@code server}, {@code tool}, {@code arguments}. */
    public static final String TOOL = "tool";

    /** One chat completion: parameters {@code messages} or {@code prompt}; see {@link CompletionTaskParameters}. */
    public static final String COMPLETION = "completion";

    /** A tool-using agent: model calls and the tool calls they ask for, in a loop; see {@link AgentTaskParameters}. */
    public static final String AGENT = "agent";

    /** One generated image: parameters {@code prompt}, {@code size}; the result holds URLs, never image bytes. */
    public static final String IMAGE = "image";

    public static final Set<String> ALL = Set.of(TOOL, COMPLETION, AGENT, IMAGE);

    private TaskTypes() {
    }
}
