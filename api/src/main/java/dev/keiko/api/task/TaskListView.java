package dev.keiko.api.task;

import java.util.List;

/** A page of tasks, newest first; pass {@code nextCursor} as {@code cursor} for the next page (null on the last). */
public record TaskListView(List<TaskView> items, String nextCursor) {
}
