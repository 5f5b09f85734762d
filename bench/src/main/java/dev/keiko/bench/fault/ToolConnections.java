package dev.keiko.bench.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Established TCP connections a process holds to a local port, from /proc: a worker's calls in flight at the tool fake
 * (each on a connection of its own while it streams its answer, plus any idle one kept for the next call). 0 off Linux.
 */
final class ToolConnections {

    private ToolConnections() {
    }

    static int of(long pid, int port) {
        Set<String> inodes = socketInodes(pid);
        if (inodes.isEmpty()) {
            return 0;
        }
        String remotePort = String.format(":%04X", port);
        int count = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : lines(Path.of(table))) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 9 && fields[2].endsWith(remotePort) && fields[3].equals("01")
                        && inodes.contains(fields[9])) {
                    count++;
                }
            }
        }
        return count;
    }

    private static Set<String> socketInodes(long pid) {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            fds.forEach(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException | UnsupportedOperationException gone) {
                    // The descriptor closed meanwhile.
                }
            });
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
        return inodes;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
    }
}
