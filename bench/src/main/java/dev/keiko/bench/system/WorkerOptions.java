package dev.keiko.bench.system;

import java.util.Map;

/**
 * How {@link BenchSystem#startWorker} starts a worker.
 *
 * @param name its name in logs ({@code <name>.log})
 * @param heap its heap flag, e.g. {@code -Xmx512m}
 * @param sticky whether it uses sticky workflow queues (the SDK's default); off, it sets
 *     {@code keiko.worker.sticky-queue-schedule-to-start-timeout=0s}, as the dev system does on the test server
 * @param properties more Spring properties, e.g. {@code keiko.worker.activity-task-slots}
 */
public record WorkerOptions(String name, String heap, boolean sticky, Map<String, String> properties) {

    public WorkerOptions {
        properties = Map.copyOf(properties);
    }

    /** A worker as the dev system adds one: 512 MB heap, no sticky queues. */
    public static WorkerOptions named(String name) {
        return new WorkerOptions(name, "-Xmx512m", false, Map.of());
    }

    public WorkerOptions withSticky(boolean sticky) {
        return new WorkerOptions(name, heap, sticky, properties);
    }

    public WorkerOptions withHeap(String heap) {
        return new WorkerOptions(name, heap, sticky, properties);
    }

    public WorkerOptions withProperties(Map<String, String> properties) {
        return new WorkerOptions(name, heap, sticky, properties);
    }
}
