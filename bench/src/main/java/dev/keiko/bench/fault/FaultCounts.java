package dev.keiko.bench.fault;

import dev.keiko.bench.report.Figure;
import dev.keiko.bench.report.Target;
import java.util.ArrayList;
import java.util.List;

/**
 * What a fault scenario counts. Every task submitted ends up completed, failed as the scenario expects, or lost;
 * a lost task is a defect. A duplicated side effect is one call counted twice at the fake tool or model for one
 * logical call.
 *
 * @param submitted tasks the API accepted (2xx)
 * @param completed tasks that ended {@code completed}
 * @param failedAsExpected tasks that ended as the fault makes them end (a non-retryable error, say), each checked
 * @param lost tasks accepted that never reached an end the scenario expects, or whose row or workflow is missing
 * @param duplicated side effects counted more than once at the fake for one logical call
 * @param idempotentByKey whether the side effect is idempotent by key, so that a duplicate is a defect
 */
public record FaultCounts(long submitted, long completed, long failedAsExpected, long lost, long duplicated,
        boolean idempotentByKey) {

    public List<Figure> figures() {
        return List.of(new Figure("tasks submitted", submitted, "tasks"),
                new Figure("tasks completed", completed, "tasks"),
                new Figure("tasks failed as expected", failedAsExpected, "tasks"),
                new Figure("tasks lost", lost, "tasks"),
                new Figure("duplicated side effects", duplicated, "calls"));
    }

    /** Lost is always a target (0); duplicated is one only where the call is idempotent by key. */
    public List<Target> targets() {
        List<Target> targets = new ArrayList<>();
        targets.add(Target.atMost("tasks lost", 0, lost, "tasks",
                lost + " accepted task(s) never reached an expected end"));
        if (idempotentByKey) {
            targets.add(Target.atMost("duplicated side effects", 0, duplicated, "calls",
                    duplicated + " call(s) counted twice at the fake"));
        }
        return targets;
    }

    /** Whether the scenario's invariants hold: nothing lost, every task accounted for, no forbidden duplicate. */
    public boolean holds() {
        return lost == 0 && completed + failedAsExpected == submitted && (!idempotentByKey || duplicated == 0);
    }
}
