package dev.keiko.bench.fault;

import dev.keiko.bench.report.Figure;
import dev.keiko.bench.report.Target;
import java.util.ArrayList;
import java.util.List;

/**
 * What a fault scenario counts. Every task accepted is counted once, by what became of it: completed, failed as the
 * scenario expects, ended otherwise (a wrong error, or a row that disagrees with its workflow), or lost (never ended,
 * or its row or workflow is missing). A duplicated side effect is one call counted twice at the fake tool or model
 * for one logical call.
 *
 * @param submitted tasks the API accepted (2xx), counted from its answers
 * @param completed tasks that ended {@code completed}
 * @param failedAsExpected tasks that ended as the fault makes them end (a non-retryable error, say), each checked
 * @param endedOtherwise tasks that ended, but not as the scenario expects
 * @param lost tasks accepted that never ended, or whose row or workflow is missing
 * @param duplicated side effects counted more than once at the fake for one logical call
 * @param idempotentByKey whether the side effect is idempotent by key, so that a duplicate is a defect
 */
public record FaultCounts(long submitted, long completed, long failedAsExpected, long endedOtherwise, long lost,
        long duplicated, boolean idempotentByKey) {

    public List<Figure> figures() {
        return List.of(new Figure("tasks submitted", submitted, "tasks"),
                new Figure("tasks completed", completed, "tasks"),
                new Figure("tasks failed as expected", failedAsExpected, "tasks"),
                new Figure("tasks ended otherwise than expected", endedOtherwise, "tasks"),
                new Figure("tasks lost", lost, "tasks"),
                new Figure("tasks not accounted for", unaccounted(), "tasks"),
                new Figure("duplicated side effects", duplicated, "calls"));
    }

    /** Lost, ended otherwise and unaccounted for are always targets (0); duplicated only where idempotent by key. */
    public List<Target> targets() {
        List<Target> targets = new ArrayList<>();
        targets.add(Target.atMost("tasks lost", 0, lost, "tasks",
                lost + " accepted task(s) never ended, or lack their row or workflow"));
        targets.add(Target.atMost("tasks ended otherwise than expected", 0, endedOtherwise, "tasks",
                endedOtherwise + " task(s) ended with an outcome the fault does not explain"));
        targets.add(Target.atMost("tasks not accounted for", 0, unaccounted(), "tasks",
                "the scenario counted " + (completed + failedAsExpected + endedOtherwise + lost)
                        + " outcomes for " + submitted + " accepted tasks"));
        if (idempotentByKey) {
            targets.add(Target.atMost("duplicated side effects", 0, duplicated, "calls",
                    duplicated + " call(s) counted twice at the fake"));
        }
        return targets;
    }

    /** How far the outcomes counted are from the tasks accepted, either way (a task missed or counted twice). */
    public long unaccounted() {
        return Math.abs(submitted - (completed + failedAsExpected + endedOtherwise + lost));
    }

    /** Whether the scenario's invariants hold: nothing lost or ended otherwise, every task counted once, no forbidden duplicate. */
    public boolean holds() {
        return lost == 0 && endedOtherwise == 0 && unaccounted() == 0 && (!idempotentByKey || duplicated == 0);
    }

    /** Counts outcomes one task at a time. */
    static final class Tally {

        private long completed;
        private long failedAsExpected;
        private long endedOtherwise;
        private long lost;

        void completed() {
            completed++;
        }

        void failedAsExpected() {
            failedAsExpected++;
        }

        void endedOtherwise() {
            endedOtherwise++;
        }

        void lost() {
            lost++;
        }

        long completedSoFar() {
            return completed;
        }

        FaultCounts counts(long submitted, long duplicated, boolean idempotentByKey) {
            return new FaultCounts(submitted, completed, failedAsExpected, endedOtherwise, lost, duplicated,
                    idempotentByKey);
        }
    }
}
