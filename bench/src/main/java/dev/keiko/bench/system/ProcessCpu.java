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

    /**
     * CPU time of the PostgreSQL server listening on {@code port}: its postmaster with the backends it has reaped
     * (cutime, cstime) and those that run now; -1 when it is not found.
     */
    public static long postgresCpuMillis(int port) {
        String portText = Integer.toString(port);
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                .filter(p -> p.info().arguments().map(args -> String.join(" ", args).contains(portText))
                        .orElse(false))
                .findFirst()
                .map(postmaster -> withChildren(postmaster.pid())
                        + postmaster.children().mapToLong(c -> Math.max(0, cpuMillis(c.pid()))).sum())
                .orElse(-1L);
    }

    /** User and system CPU time of {@code pid} and of the children it has waited for, in ms; -1 when unknown. */
    static long withChildren(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13])
                    + Long.parseLong(fields[14]);
            return ticks * 1000 / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * CPU time every process on the machine has used since boot (user, nice, system, irq, softirq, steal from
     * {@code /proc/stat}), in ms; -1 when unknown. Its growth minus the bench's processes' is what others used.
     */
    public static long machineBusyMillis() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long ticks = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                ticks += Long.parseLong(fields[i]);
            }
            return ticks * 1000 / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The load averages over 1, 5 and 15 minutes, as {@code /proc/loadavg} shows them; "unknown" otherwise. */
    public static String loadAverages() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
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
