package dev.keiko.domain.task;

import java.util.List;

/** One page of tasks, and the cursor of the next page or null when this is the last. */
public record TaskPage(List<Task> tasks, String nextCursor) {
}
