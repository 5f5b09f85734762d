package dev.keiko.workflows.agent;

import java.util.List;

public record FindEndedTasksOutput(List<String> endedTaskWorkflowIds) {
}
