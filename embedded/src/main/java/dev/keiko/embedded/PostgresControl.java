package dev.keiko.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stops an embedded PostgreSQL server and starts it again on the same port and data directory, with the options its
 * postmaster was started with, through its own {@code pg_ctl}. As root, {@code pg_ctl} runs under
 * {@code unshare -U}, as the embedded server's library runs it.
 */
final class PostgresControl {

    private final Path pgCtl;
    private final String dataDir;
    private final List<String> options;
    private final Path log;

    private PostgresControl(Path pgCtl, String dataDir, List<String> options, Path log) {
        this.pgCtl = pgCtl;
        this.dataDir = dataDir;
        this.options = options;
        this.log = log;
    }

    /** The server listening on {@code port}, found by its postmaster's command line. */
    static PostgresControl of(int port, Path log) {
        ProcessHandle postmaster = ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(Integer.toString(port))).orElse(false))
                .findFirst().orElseThrow(() -> new IllegalStateException("No postmaster listening on " + port));
        List<String> arguments = List.of(postmaster.info().arguments().orElseThrow());
        int data = arguments.indexOf("-D");
        if (data < 0) {
            throw new IllegalStateException("The postmaster on " + port + " names no data directory: " + arguments);
        }
        List<String> options = new ArrayList<>(arguments);
        options.remove(data + 1);
        options.remove(data);
        Path binary = Path.of(postmaster.info().command().orElseThrow());
        return new PostgresControl(binary.resolveSibling("pg_ctl"), arguments.get(data + 1), options, log);
    }

    /** Stops the server: {@code fast} ends sessions cleanly and checkpoints; {@code immediate} is like a crash. */
    void stop(String mode) {
        pgCtl(List.of("-D", dataDir, "stop", "-m", mode, "-w", "-t", "60"));
    }

    void start() {
        StringBuilder quoted = new StringBuilder();
        for (String option : options) {
            quoted.append(quoted.isEmpty() ? "" : " ").append('\'').append(option.replace("'", "'\\''")).append('\'');
        }
        pgCtl(List.of("-D", dataDir, "-o", quoted.toString(), "-w", "-t", "60", "start"));
    }

    private void pgCtl(List<String> arguments) {
        List<String> command = new ArrayList<>();
        if (isRoot()) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.add(pgCtl.toString());
        command.addAll(arguments);
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("pg_ctl " + arguments + " failed; see " + log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
