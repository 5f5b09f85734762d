package dev.keiko.bench.scenario;

import dev.keiko.bench.report.Latencies;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A closed-loop load: {@code concurrency} virtual threads each doing the next of {@code count} calls as soon as their
 * last one answered, every call's latency recorded. A call that throws, or answers false, counts as an error.
 */
final class Load {

    private Load() {
    }

    /** One call; answers whether it succeeded. */
    @FunctionalInterface
    interface Call {
        boolean run(int index) throws Exception;
    }

    /**
     * @param wallNanos from the first call sent to the last one answered
     * @param latencies each successful call's
     * @param errors calls that failed
     * @param firstError the first failure's text, or null
     */
    record Result(int count, long wallNanos, Latencies latencies, int errors, String firstError) {

        /** Successful calls per second of wall time. */
        double perSecond() {
            return (count - errors) / (wallNanos / 1e9);
        }
    }

    static Result run(int count, int concurrency, Call call) {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        Latencies latencies = new Latencies();
        String[] firstError = new String[1];
        List<Thread> threads = new ArrayList<>();
        long started = System.nanoTime();
        for (int t = 0; t < concurrency; t++) {
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    long sent = System.nanoTime();
                    boolean ok;
                    String failure = null;
                    try {
                        ok = call.run(i);
                    } catch (Exception e) {
                        ok = false;
                        failure = e.toString();
                    }
                    if (ok) {
                        latencies.record(System.nanoTime() - sent);
                    } else {
                        errors.incrementAndGet();
                        synchronized (firstError) {
                            if (firstError[0] == null) {
                                firstError[0] = failure == null ? "call " + i + " answered a failure" : failure;
                            }
                        }
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return new Result(count, System.nanoTime() - started, latencies, errors.get(), firstError[0]);
    }
}
