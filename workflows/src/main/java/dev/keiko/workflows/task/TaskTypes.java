package dev.keiko.workflows.task;

import java.util.Set;

/** The task types a task workflow knows how to run. */
public final class TaskTypes {

    /** One call of one tool on one MCP server: parameters {@code server}, {@code tool}, {@code arguments}. */
    public static final String TOOL = "tool";

    public static final Set<String> ALL = Set.of(TOOL);

    private TaskTypes() {
    }
}
