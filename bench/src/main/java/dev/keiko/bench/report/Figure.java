package dev.keiko.bench.report;

/** One measured value of a scenario, with its unit ("tasks/s", "ms", "x", "MB", ...). */
public record Figure(String name, double value, String unit) {
}
