package dev.keiko.bench.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** CPU time of processes from {@code /proc/<pid>/stat} (Linux), and a process's descendants. */
public final class ProcessCpu {

    /** Clock ticks per second of /proc's times: 100 on every Linux this runs on (USER_HZ). */
    private static final long TICKS_PER_SECOND = 100;

    private ProcessCpu() {
    }

    /** User plus system CPU time of {@code pid} so far in milliseconds; -1 when it cannot be read. */
    public static long cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name, field 2, is in parentheses and may hold spaces: count fields after its ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * 1000 / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** CPU time of this JVM (the bench's load driver and fakes) so far in milliseconds. */
    public static long selfCpuMillis() {
        return cpuMillis(ProcessHandle.current().pid());
    }

    static List<ProcessHandle> descendants(ProcessHandle process) {
        return process.descendants().toList();
    }
}
