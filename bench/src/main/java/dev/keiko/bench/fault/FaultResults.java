package dev.keiko.bench.fault;

import dev.keiko.bench.report.Figure;
import dev.keiko.bench.report.ScenarioResult;
import dev.keiko.bench.report.Target;
import java.util.ArrayList;
import java.util.List;

/** A fault scenario's result: {@link FaultCounts}' figures and targets first, then its own. */
final class FaultResults {

    private FaultResults() {
    }

    static ScenarioResult of(String name, String measures, FaultCounts counts, List<Figure> figures,
            List<Target> targets, List<String> notes) {
        List<Figure> allFigures = new ArrayList<>(counts.figures());
        allFigures.addAll(figures);
        List<Target> allTargets = new ArrayList<>(counts.targets());
        allTargets.addAll(targets);
        List<String> allNotes = new ArrayList<>();
        allNotes.add(counts.idempotentByKey()
                ? "The side effect counted is idempotent by key here: a duplicate is a defect."
                : "The side effect counted is not idempotent by key (Keiko's MCP tool calls carry no idempotency"
                        + " key): a duplicate is reported, not a defect.");
        allNotes.addAll(notes);
        return new ScenarioResult(name, measures, allFigures, allTargets, allNotes);
    }
}
