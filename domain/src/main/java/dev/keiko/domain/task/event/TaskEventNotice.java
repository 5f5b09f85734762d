package dev.keiko.domain.task.event;

import java.util.UUID;

/** That task has an event numbered {@code seq}: all a notification says, so that readers read the rows themselves. */
public record TaskEventNotice(UUID taskId, long seq) {}
