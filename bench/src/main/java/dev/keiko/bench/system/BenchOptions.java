package dev.keiko.bench.system;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * How {@link BenchSystem#start} starts the system.
 *
 * @param repoRoot the repository (the directory with {@code mvnw}), where the jars and the tool fake are
 * @param logDir where each process writes its log, {@code <name>.log}
 * @param apiHeap the API's heap flag, e.g. {@code -Xmx512m}
 * @param temporalHeap the Temporal test server's heap flag
 * @param apiProperties more Spring properties for the API
 */
public record BenchOptions(Path repoRoot, Path logDir, String apiHeap, String temporalHeap,
        Map<String, String> apiProperties) {

    public BenchOptions {
        apiProperties = Map.copyOf(apiProperties);
    }

    /** The defaults: the repository found from the working directory, logs in {@code bench/target/logs}. */
    public static BenchOptions defaults() {
        Path root = findRepoRoot();
        return new BenchOptions(root, root.resolve("bench/target/logs"), "-Xmx512m", "-Xmx1g", Map.of());
    }

    public BenchOptions withApiProperties(Map<String, String> properties) {
        return new BenchOptions(repoRoot, logDir, apiHeap, temporalHeap, properties);
    }

    /** The nearest directory from the working directory up that holds {@code mvnw}. */
    public static Path findRepoRoot() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path at = dir; at != null; at = at.getParent()) {
            if (Files.isRegularFile(at.resolve("mvnw")) && Files.isDirectory(at.resolve("bench"))) {
                return at;
            }
        }
        throw new IllegalStateException("No repository (a directory with mvnw and bench/) above " + dir);
    }
}
