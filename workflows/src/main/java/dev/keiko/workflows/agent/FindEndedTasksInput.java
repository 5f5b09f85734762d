package dev.keiko.workflows.agent;

import java.util.List;

public record FindEndedTasksInput(List<String> taskWorkflowIds) {
}
