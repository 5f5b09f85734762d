package dev.keiko.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Keiko worker in its own JVM, started from the worker module's executable jar the way an operator
 * starts one, with its output in {@code target/worker-N.log}.
 */
final class WorkerProcess implements AutoCloseable {

    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final Path log;

    private WorkerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static WorkerProcess start(List<String> arguments) {
        Path log = Path.of("target", "worker-" + COUNT.incrementAndGet() + ".log").toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx512m", "-jar", executableJar().toString()));
        command.addAll(arguments);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .start();
            WorkerProcess worker = new WorkerProcess(process, log);
            worker.awaitStarted();
            return worker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** Its output so far. */
    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends SIGTERM, as an orchestrator stopping the worker does, and waits for the process to exit.
     *
     * @return how long it took to exit
     */
    Duration terminate(Duration timeout) {
        long started = System.nanoTime();
        process.destroy();
        try {
            if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                kill();
                throw new AssertionError("The worker did not exit within " + timeout + " of SIGTERM; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** Ends the process at once, as a crash or {@code kill -9} would. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitStarted() throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String output = Files.exists(log) ? Files.readString(log) : "";
            if (output.contains("Started WorkerApplication")) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("Worker exited with " + process.exitValue() + ":\n" + output);
            }
            sleep(200);
        }
        kill();
        throw new IllegalStateException("Worker did not start within " + START_TIMEOUT + "; see " + log);
    }

    private static Path executableJar() {
        try (var jars = Files.list(Path.of("../worker/target"))) {
            return jars.filter(path -> path.getFileName().toString().matches("keiko-worker-.*-exec\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            "No worker jar in worker/target: build it first (./mvnw verify builds it)"))
                    .toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
