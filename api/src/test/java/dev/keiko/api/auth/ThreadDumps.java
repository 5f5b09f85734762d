package dev.keiko.api.auth;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes every thread of the test JVM, virtual ones included, to a file under {@code target/} and to standard error,
 * for a failure that a CI log must explain.
 */
final class ThreadDumps {

    private ThreadDumps() {
    }

    static Path write(String name) {
        Path file = Path.of("target", name + "-threads-" + System.currentTimeMillis() + ".txt").toAbsolutePath();
        try {
            Files.deleteIfExists(file);
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(file.toString(), ThreadDumpFormat.TEXT_PLAIN);
            System.err.println(Files.readString(file));
        } catch (IOException e) {
            return Path.of("(not written: " + e + ")");
        }
        return file;
    }
}
