package dev.keiko.bench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a run's results as {@code benchmarks.md} (a table of figures and one of targets per scenario, the machine,
 * the command) and {@code benchmarks.json} (the same, for tools).
 */
public final class Report {

    /** The command the README documents; a run names its own scenarios in it. */
    public static final String COMMAND =
            "./mvnw -B -q -DskipTests install && ./mvnw -B -q -pl bench exec:exec -Dbench=%s";

    public static final String MARKDOWN = "benchmarks.md";
    public static final String JSON = "benchmarks.json";
    /** The benchmarks' report: {@value #MARKDOWN} and {@value #JSON}. */
    public static final Kind BENCHMARKS = new Kind("Keiko benchmarks", "benchmarks");

    private static final JsonMapper JSON_MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private Report() {
    }

    /** Writes both files into {@code dir} (created if need be) for a run of {@code -Dbench=all}. */
    public static void write(Path dir, Machine machine, List<ScenarioResult> results) {
        write(dir, machine, results, COMMAND.formatted("all"));
    }

    /** Writes both files into {@code dir} (created if need be), naming {@code command} as what made them. */
    public static void write(Path dir, Machine machine, List<ScenarioResult> results, String command) {
        write(dir, BENCHMARKS, machine, results, command);
    }

    /** Writes {@code kind}'s two files into {@code dir} (created if need be). */
    public static void write(Path dir, Kind kind, Machine machine, List<ScenarioResult> results, String command) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(kind.markdown()), markdown(kind.title(), machine, results, command),
                    StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(kind.json()), json(machine, results, command), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String markdown(Machine machine, List<ScenarioResult> results, String command) {
        return markdown(BENCHMARKS.title(), machine, results, command);
    }

    static String markdown(String title, Machine machine, List<ScenarioResult> results, String command) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(title).append("\n\n");
        md.append("Made by `").append(command).append("` on ").append(machine.at()).append(".\n\n");
        md.append("| machine | |\n| --- | --- |\n");
        md.append("| cores | ").append(machine.cores()).append(" |\n");
        md.append("| memory | ").append(machine.memoryBytes() == 0 ? "unknown"
                : number(machine.memoryBytes() / (1024.0 * 1024 * 1024)) + " GiB").append(" |\n");
        md.append("| CPU | ").append(cell(machine.cpu())).append(" |\n");
        md.append("| JDK | ").append(cell(machine.jdk())).append(" |\n");
        md.append("| OS | ").append(cell(machine.os())).append(" |\n");
        md.append("| commit | ").append(cell(machine.gitCommit())).append(" |\n\n");
        long met = results.stream().flatMap(r -> r.targets().stream()).filter(Target::met).count();
        long all = results.stream().mapToLong(r -> r.targets().size()).sum();
        md.append("Targets met: ").append(met).append(" of ").append(all).append(".\n");
        for (ScenarioResult result : results) {
            md.append("\n## ").append(result.name()).append("\n\n");
            if (result.measures() != null && !result.measures().isBlank()) {
                md.append(result.measures()).append("\n\n");
            }
            if (!result.targets().isEmpty()) {
                md.append("| target | required | measured | |\n| --- | --- | --- | --- |\n");
                for (Target target : result.targets()) {
                    md.append("| ").append(cell(target.name())).append(" | ").append(cell(target.required()))
                            .append(" | ").append(number(target.measured())).append(unit(target.unit()))
                            .append(" | ").append(target.met() ? "met" : "**missed**").append(" |\n");
                }
                md.append('\n');
                for (Target target : result.targets()) {
                    if (!target.met() && target.explanation() != null) {
                        md.append("- Missed, ").append(target.name()).append(": ").append(target.explanation())
                                .append('\n');
                    }
                }
                if (result.targets().stream().anyMatch(t -> !t.met() && t.explanation() != null)) {
                    md.append('\n');
                }
            }
            if (!result.figures().isEmpty()) {
                md.append("| figure | value | unit |\n| --- | ---: | --- |\n");
                for (Figure figure : result.figures()) {
                    md.append("| ").append(cell(figure.name())).append(" | ").append(number(figure.value()))
                            .append(" | ").append(cell(figure.unit())).append(" |\n");
                }
                md.append('\n');
            }
            for (String note : result.notes()) {
                md.append("- ").append(note).append('\n');
            }
        }
        return md.toString();
    }

    static String json(Machine machine, List<ScenarioResult> results, String command) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("command", command);
        root.put("machine", machine);
        List<Map<String, Object>> scenarios = new ArrayList<>();
        for (ScenarioResult result : results) {
            Map<String, Object> scenario = new LinkedHashMap<>();
            scenario.put("name", result.name());
            scenario.put("measures", result.measures());
            scenario.put("figures", result.figures().stream().map(f -> {
                Map<String, Object> figure = new LinkedHashMap<>();
                figure.put("name", f.name());
                figure.put("value", finite(f.value()));
                figure.put("unit", f.unit());
                return figure;
            }).toList());
            scenario.put("targets", result.targets().stream().map(t -> {
                Map<String, Object> target = new LinkedHashMap<>();
                target.put("name", t.name());
                target.put("required", t.required());
                target.put("bound", finite(t.bound()));
                target.put("measured", finite(t.measured()));
                target.put("unit", t.unit());
                target.put("met", t.met());
                target.put("explanation", t.explanation());
                return target;
            }).toList());
            scenario.put("notes", result.notes());
            scenarios.add(scenario);
        }
        root.put("scenarios", scenarios);
        return JSON_MAPPER.writeValueAsString(root) + "\n";
    }

    /** Non-finite values (nothing measured) are null in JSON, which has no NaN. */
    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }

    /**
     * A value as the report shows it: three significant digits, at most three decimals, no exponent, thousands not
     * grouped ("729", "0.123", "12.3", "1520"); "n/a" when nothing was measured.
     */
    public static String number(double value) {
        if (!Double.isFinite(value)) {
            return "n/a";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(3, RoundingMode.HALF_EVEN));
        if (rounded.scale() > 3) {
            rounded = rounded.setScale(3, RoundingMode.HALF_EVEN);
        }
        if (rounded.scale() < 0) {
            rounded = rounded.setScale(0, RoundingMode.HALF_EVEN);
        }
        String text = rounded.stripTrailingZeros().toPlainString();
        return text.equals("-0") ? "0" : text;
    }

    private static String unit(String unit) {
        return unit == null || unit.isEmpty() ? "" : " " + unit;
    }

    private static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
    }

    /** A report's title and its files' base name: {@code <name>.md} and {@code <name>.json}. */
    public record Kind(String title, String name) {

        public String markdown() {
            return name + ".md";
        }

        public String json() {
            return name + ".json";
        }
    }
}
