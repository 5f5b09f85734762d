package dev.keiko.bench.report;

/**
 * A target of the issue and what was measured against it. A target is never lowered to pass: a missed one keeps its
 * bound and says why, when that is known.
 *
 * @param name what is compared, e.g. "Keiko / bare SDK submission throughput"
 * @param required the bound as written in the issue, e.g. "&gt;= 0.8"
 * @param bound the bound's value
 * @param measured what was measured, in the bound's unit
 * @param unit the unit of both
 * @param met whether the measured value meets the bound
 * @param explanation why it was missed (and what would meet it) when missed; null when met
 */
public record Target(String name, String required, double bound, double measured, String unit, boolean met,
        String explanation) {

    /** A target met when {@code measured >= bound}; {@code explanationIfMissed} is kept only when it is missed. */
    public static Target atLeast(String name, double bound, double measured, String unit, String explanationIfMissed) {
        boolean met = measured >= bound;
        return new Target(name, ">= " + Report.number(bound) + suffix(unit), bound, measured, unit, met,
                met ? null : explanationIfMissed);
    }

    /** A target met when {@code measured <= bound}; {@code explanationIfMissed} is kept only when it is missed. */
    public static Target atMost(String name, double bound, double measured, String unit, String explanationIfMissed) {
        boolean met = measured <= bound;
        return new Target(name, "<= " + Report.number(bound) + suffix(unit), bound, measured, unit, met,
                met ? null : explanationIfMissed);
    }

    private static String suffix(String unit) {
        return unit == null || unit.isEmpty() ? "" : " " + unit;
    }
}
