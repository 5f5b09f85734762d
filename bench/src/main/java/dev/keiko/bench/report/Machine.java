package dev.keiko.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The machine a report was made on, and the code it measured.
 *
 * @param cores processors the JVM sees
 * @param memoryBytes total memory (MemTotal), 0 when unknown
 * @param jdk the JDK's version and VM
 * @param os the operating system, its version and architecture
 * @param cpu the CPU model from /proc/cpuinfo, or "unknown"
 * @param gitCommit the commit measured, with "+uncommitted changes" when the work tree differed from it
 * @param at when the report was made
 */
public record Machine(int cores, long memoryBytes, String jdk, String os, String cpu, String gitCommit, Instant at) {

    /** This machine, and the commit checked out at {@code repoRoot}. */
    public static Machine describe(Path repoRoot) {
        return new Machine(Runtime.getRuntime().availableProcessors(), memTotal(),
                System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", "
                        + System.getProperty("java.vendor") + ")",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                cpuModel(), gitCommit(repoRoot), Instant.now());
    }

    private static long memTotal() {
        for (String line : lines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return 0;
    }

    private static String cpuModel() {
        for (String line : lines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "unknown";
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static String gitCommit(Path repoRoot) {
        String commit = git(repoRoot, "rev-parse", "HEAD");
        if (commit.isEmpty()) {
            return "unknown";
        }
        String changes = git(repoRoot, "status", "--porcelain", "--untracked-files=no");
        return changes.isEmpty() ? commit : commit + " +uncommitted changes";
    }

    private static String git(Path repoRoot, String... args) {
        try {
            List<String> command = new java.util.ArrayList<>(List.of("git", "-C", repoRoot.toString()));
            command.addAll(List.of(args));
            Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!git.waitFor(10, TimeUnit.SECONDS) || git.exitValue() != 0) {
                return "";
            }
            return output;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
