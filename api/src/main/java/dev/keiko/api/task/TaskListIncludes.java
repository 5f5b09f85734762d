package dev.keiko.api.task;

import dev.keiko.api.problem.Problems;
import java.util.List;

/**
 * What a task list shows beyond each task's summary: {@code include=parameters} and/or {@code include=result}
 * (repeated or comma-separated). Without them a page stays small whatever its tasks carry.
 */
record TaskListIncludes(boolean parameters, boolean result) {

    static TaskListIncludes parse(List<String> include) {
        boolean parameters = false;
        boolean result = false;
        for (String value : include) {
            switch (value.strip()) {
                case "parameters" -> parameters = true;
                case "result" -> result = true;
                case "" -> { }
                default -> throw Problems.badRequest("'include' may name parameters and result, not '"
                        + (value.length() > 64 ? value.substring(0, 64) + "…" : value) + "'");
            }
        }
        return new TaskListIncludes(parameters, result);
    }

    TaskView apply(TaskView task) {
        return task.without(!parameters, !result);
    }
}
