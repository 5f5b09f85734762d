package dev.keiko.domain.task;

import java.util.UUID;

/** The agent a task was routed to, as it was named when the task was submitted. */
public record RoutedAgent(UUID id, String name) {
}
