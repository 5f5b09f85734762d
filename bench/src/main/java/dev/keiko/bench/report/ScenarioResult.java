package dev.keiko.bench.report;

import java.util.List;

/**
 * What one scenario measured.
 *
 * @param name the scenario's name, as {@code -Dbench=} selects it
 * @param measures one sentence: what it measures and how
 * @param figures the values measured, in the order they are shown
 * @param targets the targets, met or missed
 * @param notes how it was measured, and anything seen on the way
 */
public record ScenarioResult(String name, String measures, List<Figure> figures, List<Target> targets,
        List<String> notes) {

    public ScenarioResult {
        figures = List.copyOf(figures);
        targets = List.copyOf(targets);
        notes = List.copyOf(notes);
    }

    /** A scenario that could not run to its end: what it had measured, and why it stopped. */
    public static ScenarioResult failed(String name, String measures, List<Figure> figures, Throwable failure) {
        return new ScenarioResult(name, measures, figures, List.of(),
                List.of("FAILED: " + failure.getClass().getSimpleName() + ": " + failure.getMessage()));
    }
}
