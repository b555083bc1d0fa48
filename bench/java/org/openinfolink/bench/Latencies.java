package org.openinfolink.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * Latency percentiles of a set of calls, by the nearest-rank method: p95 is the smallest latency
 * that at least 95 % of the calls did not exceed. Immutable.
 *
 * @param count calls measured
 * @param p50   the median, in nanoseconds
 * @param p95   nanoseconds
 * @param p99   nanoseconds
 * @param max   the slowest call, in nanoseconds
 */
record Latencies(int count, long p50, long p95, long p99, long max) {

    /** The percentiles of {@code nanos}; the array is not changed. */
    static Latencies of(long[] nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no latencies to summarise");
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Latencies(sorted.length, rank(sorted, 50), rank(sorted, 95), rank(sorted, 99),
                sorted[sorted.length - 1]);
    }

    private static long rank(long[] sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
}
