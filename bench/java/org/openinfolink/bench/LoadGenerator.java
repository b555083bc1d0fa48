package org.openinfolink.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * A fixed number of concurrent clients, each a thread of its own that makes one blocking call after
 * the other, either for a fixed time or until a fixed number of calls is shared out. Every call is
 * timed from its start to its end (for an HTTP call: until the last byte of the answer was read
 * and checked). A call that throws is an error: it is counted, its message kept (the first few),
 * and it has no latency. The clients start together; their threads are gone when a run returns.
 * Stateless: each run has its own threads and records.
 */
final class LoadGenerator {

    /** One call of one client; throws when the answer is wrong or missing. */
    @FunctionalInterface
    interface Call {
        /**
         * @param client the client, from 0
         * @param number for a timed run the client's own count of calls, from 0; for a counted run
         *               the call's number among all calls, from 0
         */
        void call(int client, int number) throws Exception;
    }

    /**
     * What a run did.
     *
     * @param nanos        for a counted run the latency of call {@code i} at index {@code i}, -1 for an
     *                     error; for a timed run the latencies of the calls that succeeded
     * @param calls        calls made, errors included
     * @param errors       calls that threw
     * @param errorSamples the messages of the first errors
     * @param elapsedNanos from the start of the clients until the last call ended
     */
    record Outcome(long[] nanos, int calls, int errors, List<String> errorSamples, long elapsedNanos) {

        /** Calls that succeeded. */
        int succeeded() {
            return calls - errors;
        }

        /** Successful calls per second of the run. */
        double perSecond() {
            return succeeded() / (elapsedNanos / 1e9);
        }

        /** The percentiles of every successful call. */
        Latencies latencies() {
            return Latencies.of(Arrays.stream(nanos).filter(value -> value >= 0).toArray());
        }

        /**
         * The percentiles of the successful calls of a counted run whose numbers {@code select}
         * picks; empty when it picks none.
         */
        Optional<Latencies> latencies(IntPredicate select) {
            long[] picked = IntStream.range(0, nanos.length)
                    .filter(select).mapToLong(i -> nanos[i]).filter(value -> value >= 0).toArray();
            return picked.length == 0 ? Optional.empty() : Optional.of(Latencies.of(picked));
        }
    }

    private static final int ERROR_SAMPLES = 5;

    private LoadGenerator() {
    }

    /** {@code clients} clients call as fast as the answers come for {@code duration}. */
    static Outcome forDuration(String name, int clients, Duration duration, Call call) throws InterruptedException {
        Recorder recorder = new Recorder();
        // each client writes only its own slot; waiting for the clients makes the slots visible here
        long[][] perClient = new long[clients][];
        int[] done = new int[clients];
        long[] startNanos = new long[1];
        run(name, clients, startNanos, client -> {
            long deadline = startNanos[0] + duration.toNanos();
            long[] latencies = new long[1024];
            int succeeded = 0;
            int number = 0;
            while (System.nanoTime() < deadline) {
                long latency = recorder.timed(client, number++, call);
                if (latency >= 0) {
                    if (succeeded == latencies.length) {
                        latencies = Arrays.copyOf(latencies, latencies.length * 2);
                    }
                    latencies[succeeded++] = latency;
                }
            }
            perClient[client] = latencies;
            done[client] = succeeded;
        });
        long[] all = new long[Arrays.stream(done).sum()];
        int at = 0;
        for (int client = 0; client < clients; client++) {
            System.arraycopy(perClient[client], 0, all, at, done[client]);
            at += done[client];
        }
        return recorder.outcome(all, recorder.lastEnd.get() - startNanos[0]);
    }

    /** {@code clients} clients share out {@code calls} calls, numbered from 0, and make them. */
    static Outcome forCount(String name, int clients, int calls, Call call) throws InterruptedException {
        Recorder recorder = new Recorder();
        long[] nanos = new long[calls];
        AtomicInteger next = new AtomicInteger();
        long[] startNanos = new long[1];
        run(name, clients, startNanos, client -> {
            int number;
            while ((number = next.getAndIncrement()) < calls) {
                nanos[number] = recorder.timed(client, number, call);
            }
        });
        return recorder.outcome(nanos, recorder.lastEnd.get() - startNanos[0]);
    }

    /** What one client thread does. */
    @FunctionalInterface
    private interface Client {
        void run(int client) throws InterruptedException;
    }

    /**
     * Starts the clients together, sets {@code startNanos[0]} just before they go, and waits for
     * them all. An interrupt stops the clients and is passed on.
     */
    private static void run(String name, int clients, long[] startNanos, Client body) throws InterruptedException {
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadFactory threads = task -> {
            Thread thread = new Thread(task, "bench-" + name + "-" + threadNumber.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        };
        ExecutorService executor = Executors.newFixedThreadPool(clients, threads);
        CountDownLatch ready = new CountDownLatch(clients);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int client = 0; client < clients; client++) {
                int id = client;
                futures.add(executor.submit(() -> {
                    ready.countDown();
                    go.await();
                    body.run(id);
                    return null;
                }));
            }
            ready.await();
            startNanos[0] = System.nanoTime();
            go.countDown();
            for (Future<?> future : futures) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("A client of " + name + " failed: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            executor.shutdownNow();
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("The clients of " + name + " did not stop within 30 s");
            }
        }
    }

    /** Times calls and keeps the errors; shared by the clients of one run. */
    private static final class Recorder {
        private final AtomicInteger calls = new AtomicInteger();
        private final AtomicInteger errors = new AtomicInteger();
        private final List<String> samples = new ArrayList<>();
        private final AtomicLong lastEnd = new AtomicLong();

        /** Makes one call; returns its latency, or -1 when it failed. */
        long timed(int client, int number, Call call) throws InterruptedException {
            long start = System.nanoTime();
            long latency;
            try {
                call.call(client, number);
                latency = System.nanoTime() - start;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                latency = -1;
                errors.incrementAndGet();
                synchronized (samples) {
                    if (samples.size() < ERROR_SAMPLES) {
                        samples.add("client " + client + ", call " + number + ": " + e);
                    }
                }
            }
            calls.incrementAndGet();
            lastEnd.accumulateAndGet(System.nanoTime(), Math::max);
            return latency;
        }

        Outcome outcome(long[] nanos, long elapsedNanos) {
            synchronized (samples) {
                return new Outcome(nanos, calls.get(), errors.get(), List.copyOf(samples), elapsedNanos);
            }
        }
    }
}
