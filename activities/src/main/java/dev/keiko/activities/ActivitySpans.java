package dev.keiko.activities;

import io.opentelemetry.api.trace.Span;

/**
 * Labels the span Temporal's tracing interceptor opened for the running activity
 * ({@code RunActivity:<type>}) with the step it is, as the activity's summary names it
 * ({@code llm: gpt-4o}, {@code tool: everything/echo}), in the attribute {@code keiko.step}.
 */
public final class ActivitySpans {

    public static final String STEP = "keiko.step";

    private ActivitySpans() {
    }

    public static void step(String label) {
        Span.current().setAttribute(STEP, label);
    }
}
