package dev.keiko.bench.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A process the bench started (Temporal's test server, the API, a worker), its output in its own log file. */
public final class BenchProcess implements AutoCloseable {

    private static final Pattern STARTED = Pattern.compile("Started \\S+ in ([0-9.]+) seconds");

    private final String name;
    private final Process process;
    private final Path log;
    private final long launchedAtNanos;
    private final int port;

    BenchProcess(String name, Process process, Path log, long launchedAtNanos, int port) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.launchedAtNanos = launchedAtNanos;
        this.port = port;
    }

    /** Starts {@code command} with its output (stdout and stderr) in {@code log}. */
    static BenchProcess launch(String name, List<String> command, Path log, int port,
            java.util.Map<String, String> environment, Path directory) {
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            builder.environment().putAll(environment);
            long launched = System.nanoTime();
            return new BenchProcess(name, builder.start(), log, launched, port);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name, e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    /** The port it serves on (its API or actuator), or 0. */
    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    /** When it was launched, by {@link System#nanoTime()}. */
    public long launchedAtNanos() {
        return launchedAtNanos;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Its output so far. */
    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The seconds of Spring Boot's "Started ... in X seconds" line, when it has logged one. */
    public Optional<Double> startedInSeconds() {
        Matcher started = STARTED.matcher(output());
        return started.find() ? Optional.of(Double.parseDouble(started.group(1))) : Optional.empty();
    }

    /** CPU time it has used so far, user and system, from /proc; -1 when unknown. */
    public long cpuMillis() {
        return ProcessCpu.cpuMillis(process.pid());
    }

    /** Ends it at once, as {@code kill -9} does, and waits for it to be gone. */
    public void kill9() {
        ProcessCpu.descendants(process.toHandle()).forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    /** Sends SIGTERM and waits up to {@code timeout} for it to exit, then kills it; answers how long it took. */
    public Duration stop(Duration timeout) {
        long started = System.nanoTime();
        List<ProcessHandle> children = ProcessCpu.descendants(process.toHandle());
        process.destroy();
        if (!waitFor(timeout)) {
            kill9();
        }
        for (ProcessHandle child : children) {
            if (child.isAlive()) {
                child.destroy();
            }
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** Sends SIGTERM and waits up to 60 s. */
    public Duration stop() {
        return stop(Duration.ofSeconds(60));
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stop(Duration.ofSeconds(30));
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", log " + log + ")";
    }
}
