package dev.keiko.bench.scenario;

import dev.keiko.bench.report.Figure;
import dev.keiko.bench.report.Report;
import dev.keiko.bench.report.Samples;
import dev.keiko.bench.report.ScenarioResult;
import dev.keiko.bench.report.Target;
import dev.keiko.bench.system.BenchOptions;
import dev.keiko.bench.system.BenchProcess;
import dev.keiko.bench.system.BenchSystem;
import dev.keiko.bench.system.WorkerOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Start-up: the README's main command from launch to a ready API, on a warm build; then the API's and the worker's
 * contexts alone from their jars, against PostgreSQL and Temporal that already run.
 */
final class StartupScenario implements Scenario {

    /** The README's main command, after its {@code install}, with the JDK the bench runs on as its {@code java}. */
    static final List<String> MAIN_COMMAND = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar", "launcher/target/keiko-launcher.jar");
    /** How the README writes it. */
    static final String README_COMMAND = "\"${JAVA_HOME:+$JAVA_HOME/bin/}java\" -jar launcher/target/keiko-launcher.jar";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(240);

    private final List<Double> launcherSeconds = new ArrayList<>();

    @Override
    public String name() {
        return "startup";
    }

    @Override
    public String measures() {
        return "Start-up time: the README's main command (`" + README_COMMAND + "`, after the"
                + " install) from launch to the API's readiness probe answering 200, on a warm build; then the API and"
                + " the worker alone from their executable jars (wall time to readiness, and Spring Boot's own"
                + " 'Started ... in X seconds').";
    }

    /** The launcher's runs come first, with nothing else of the bench running; then the system for the jars. */
    @Override
    public ScenarioResult runAlone(BenchOptions options) {
        int runs = ScenarioOptions.current().integer("startup.runs", 3);
        for (int run = 1; run <= runs; run++) {
            launcherRun(options, run);
        }
        return Scenario.super.runAlone(options);
    }

    private void launcherRun(BenchOptions options, int run) {
        int apiPort = BenchSystem.freePort();
        Map<String, String> environment = Map.of(
                "SERVER_PORT", Integer.toString(apiPort),
                "KEIKO_WORKER_PORT", Integer.toString(BenchSystem.freePort()),
                "KEIKO_DEV_POSTGRES_PORT", Integer.toString(BenchSystem.freePort()),
                "KEIKO_DEV_TEMPORAL_PORT", Integer.toString(BenchSystem.freePort()));
        Path log = options.logDir().resolve("launcher-" + run + ".log");
        try {
            Files.createDirectories(log.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ProcessBuilder builder = new ProcessBuilder(MAIN_COMMAND).directory(options.repoRoot().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        BenchSystem.say("startup: launcher run " + run + ": " + String.join(" ", MAIN_COMMAND));
        long launched = System.nanoTime();
        Process launcher;
        try {
            launcher = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            URI readiness = URI.create("http://127.0.0.1:" + apiPort + "/actuator/health/readiness");
            long deadline = launched + READY_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                if (!launcher.isAlive()) {
                    throw new IllegalStateException("The launcher exited with " + launcher.exitValue() + "; see "
                            + log);
                }
                try {
                    if (http.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2)).GET().build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        double seconds = (System.nanoTime() - launched) / 1e9;
                        launcherSeconds.add(seconds);
                        BenchSystem.say("startup: launcher run " + run + " ready after "
                                + Report.number(seconds) + " s");
                        return;
                    }
                } catch (IOException notYet) {
                    // Not listening yet.
                }
                Thread.sleep(50);
            }
            throw new IllegalStateException("The launcher's API was not ready within " + READY_TIMEOUT + "; see "
                    + log);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            stopLauncher(launcher);
        }
    }

    /** SIGTERM (its shutdown hook stops the contexts, Temporal and PostgreSQL), then SIGKILL after a minute. */
    private static void stopLauncher(Process launcher) {
        List<ProcessHandle> children = launcher.descendants().toList();
        launcher.destroy();
        try {
            if (!launcher.waitFor(60, TimeUnit.SECONDS)) {
                launcher.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle process : children) {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    @Override
    public ScenarioResult run(BenchSystem system) {
        int runs = ScenarioOptions.current().integer("startup.runs", 3);
        List<Double> apiWall = new ArrayList<>();
        List<Double> apiStarted = new ArrayList<>();
        List<Double> workerWall = new ArrayList<>();
        List<Double> workerStarted = new ArrayList<>();
        double firstApi = system.apiReadyAfter().toNanos() / 1e9;
        double firstApiStarted = system.apiProcess().startedInSeconds().orElse(Double.NaN);
        for (int run = 1; run <= runs; run++) {
            BenchProcess api = system.startApi("api-startup-" + run, BenchSystem.freePort());
            apiWall.add(system.awaitReady(api).toNanos() / 1e9);
            apiStarted.add(api.startedInSeconds().orElse(Double.NaN));
            api.stop();
            BenchSystem.say("startup: API alone run " + run + ": ready after " + Report.number(apiWall.getLast())
                    + " s (Started in " + Report.number(apiStarted.getLast()) + " s)");
        }
        for (int run = 1; run <= runs; run++) {
            BenchProcess worker = system.launchWorker(WorkerOptions.named("worker-startup-" + run));
            workerWall.add(system.awaitReady(worker).toNanos() / 1e9);
            workerStarted.add(worker.startedInSeconds().orElse(Double.NaN));
            system.stopWorker(worker);
            BenchSystem.say("startup: worker alone run " + run + ": ready after "
                    + Report.number(workerWall.getLast()) + " s (Started in "
                    + Report.number(workerStarted.getLast()) + " s)");
        }

        double launcherMedian = Samples.median(launcherSeconds);
        List<Figure> figures = new ArrayList<>();
        for (int i = 0; i < launcherSeconds.size(); i++) {
            figures.add(new Figure("main command to ready API, run " + (i + 1), launcherSeconds.get(i), "s"));
        }
        figures.add(new Figure("main command to ready API, median", launcherMedian, "s"));
        figures.add(new Figure("API jar to ready, median of " + runs, Samples.median(apiWall), "s"));
        figures.add(new Figure("API 'Started ApiApplication in', median", Samples.median(apiStarted), "s"));
        figures.add(new Figure("API jar to ready on an empty database (migrations), once", firstApi, "s"));
        figures.add(new Figure("API 'Started' on an empty database, once", firstApiStarted, "s"));
        figures.add(new Figure("worker jar to ready, median of " + runs, Samples.median(workerWall), "s"));
        figures.add(new Figure("worker 'Started WorkerApplication in', median", Samples.median(workerStarted), "s"));

        List<String> notes = new ArrayList<>();
        List<Target> targets = List.of(Target.atMost("README main command to a ready API (median of "
                + launcherSeconds.size() + ")", 15, launcherMedian, "s", "the launcher's JVM took the median "
                + Report.number(launcherMedian) + " s: embedded PostgreSQL and the Temporal test server side by"
                + " side, then the worker's and the API's contexts one after the other; alone, the API's context"
                + " starts in " + Report.number(Samples.median(apiStarted)) + " s and the worker's in "
                + Report.number(Samples.median(workerStarted)) + " s on this 2-core machine, "
                + Report.number(Samples.median(apiStarted) + Samples.median(workerStarted)) + " s one after the"
                + " other. Levers still to measure: the two contexts side by side, and JDK 25's"
                + " ahead-of-time class cache (-XX:AOTCache) for the launcher's jar."));

        notes.add("Main command: `" + README_COMMAND + "` from the repository root, after"
                + " `./mvnw -q -B -DskipTests install` (a warm build: everything compiled and installed), with"
                + " SERVER_PORT, KEIKO_WORKER_PORT, KEIKO_DEV_POSTGRES_PORT and KEIKO_DEV_TEMPORAL_PORT set to free"
                + " ports (the defaults may be taken on a shared machine); readiness polled every 50 ms. Each run"
                + " is stopped (SIGTERM) before the next. Until this run the README's command was `./mvnw -q -B -pl"
                + " launcher spring-boot:run`, which spent 10-19 s in Maven (its start, the lifecycle up to"
                + " test-compile, npm install in mcp-servers) before it forked a JVM limited to C1. It starts embedded"
                + " PostgreSQL and the Temporal test server, the worker and the API in one JVM, and registers the"
                + " stdio MCP server `everything`.");
        notes.add("API and worker alone: `java -Xmx512m -jar <module>/target/keiko-<module>-*-exec.jar` with the"
                + " bench's settings, PostgreSQL and Temporal already running (the database already migrated,"
                + " except for the one run on an empty database, which is the bench system's own API); one at a"
                + " time, each stopped before the next.");
        return new ScenarioResult(name(), measures(), figures, targets, notes);
    }
}
