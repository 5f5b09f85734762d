package dev.keiko.launcher;

import java.util.Map;
import java.util.stream.LongStream;

/** What {@link StreamingBenchmark} measures, and the Markdown it prints. */
final class StreamingFigures {

    private StreamingFigures() {
    }

    /** Percentiles of durations in milliseconds; zero samples (and zeros) when there were none. */
    record Latency(int samples, double p50Ms, double p95Ms, double maxMs) {

        static Latency of(long[] nanos) {
            if (nanos.length == 0) {
                return new Latency(0, 0, 0, 0);
            }
            long[] sorted = LongStream.of(nanos).sorted().toArray();
            return new Latency(sorted.length, ms(sorted, 0.50), ms(sorted, 0.95), ms(sorted, 1.0));
        }

        private static double ms(long[] sorted, double quantile) {
            int index = (int) Math.ceil(quantile * sorted.length) - 1;
            return Math.round(sorted[Math.max(0, index)] / 10_000.0) / 100.0;
        }

        private String cell(double ms) {
            return samples == 0 ? "–" : "%.1f ms".formatted(ms);
        }
    }

    /** Text appended to tasks and what their subscribers received; {@code writerRate} 0 is as fast as the log takes. */
    record FanOut(int tasks, int subscribers, int writerRate, double appendedPerSecond, Latency appendLatency,
            double deliveriesPerSecond, Latency lag, long gaps, long duplicates, long outOfOrder, long behindNotices,
            double lastArrivalAfterWriterStoppedMs) {}

    /** From the model's first content chunk leaving the fake to the client's first {@code text} event. */
    record FirstEvent(int tasks, int warmUpTasksLeftOut, Latency firstChunkToFirstEvent) {}

    record Machine(int cores, String cpu, String os, String jvm, long testJvmMaxHeapMiB, String workerJvmMaxHeap,
            String loadAverageAtStart, String loadAverageAtEnd) {}

    static String markdown(Machine machine, Map<String, Object> figures, String writerNote) {
        StringBuilder md = new StringBuilder("\n## Streaming figures\n\n");
        md.append("Machine: %d cores (%s), %s, %s; test JVM (API, writer, clients, model fake) max heap %d MiB, worker"
                .formatted(machine.cores(), machine.cpu(), machine.os(), machine.jvm(), machine.testJvmMaxHeapMiB()))
                .append(" JVM max heap %s; load average (1, 5, 15 min) %s at the start, %s at the end.\n\n"
                        .formatted(machine.workerJvmMaxHeap(), machine.loadAverageAtStart(),
                                machine.loadAverageAtEnd()));
        md.append("| figure | tasks | subscribers | writer | appended/s | append p50 / p95 | deliveries/s | lag p50"
                        + " | lag p95 | lag max | gaps | duplicates | out of order | behind notices"
                        + " | last arrival after writer stopped |\n")
                .append("|---|" + "---:|".repeat(14) + "\n");
        figures.forEach((name, figure) -> {
            if (figure instanceof FanOut f) {
                md.append("| %s | %d | %d | %s | %.0f | %s / %s | %.0f | %s | %s | %s | %d | %d | %d | %d | %.0f ms |\n"
                        .formatted(name, f.tasks(), f.subscribers(),
                                f.writerRate() == 0 ? "max" : f.writerRate() + "/s", f.appendedPerSecond(),
                                f.appendLatency().cell(f.appendLatency().p50Ms()),
                                f.appendLatency().cell(f.appendLatency().p95Ms()), f.deliveriesPerSecond(),
                                f.lag().cell(f.lag().p50Ms()), f.lag().cell(f.lag().p95Ms()),
                                f.lag().cell(f.lag().maxMs()), f.gaps(), f.duplicates(), f.outOfOrder(),
                                f.behindNotices(), f.lastArrivalAfterWriterStoppedMs()));
            }
        });
        md.append("\n").append(writerNote).append("\n");
        if (figures.get("firstChunkToFirstEvent") instanceof FirstEvent f) {
            Latency latency = f.firstChunkToFirstEvent();
            md.append("\n| figure | tasks | p50 | p95 | max |\n|---|---:|---:|---:|---:|\n")
                    .append("| model's first chunk → client's first text event | %d (after %d left out)"
                            .formatted(f.tasks(), f.warmUpTasksLeftOut()))
                    .append(" | %s | %s | %s |\n".formatted(latency.cell(latency.p50Ms()),
                            latency.cell(latency.p95Ms()), latency.cell(latency.maxMs())));
        }
        return md.toString();
    }
}
