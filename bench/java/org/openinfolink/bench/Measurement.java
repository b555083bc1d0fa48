package org.openinfolink.bench;

import java.time.Duration;

/**
 * One measured run.
 *
 * @param database        the label of the database that computes the result
 * @param store           where the server keeps its job store, {@code -} for the baseline
 * @param mode            {@code baseline}, {@code sync} or {@code async}
 * @param rows            records read
 * @param bytes           bytes of JSON (the baseline's records array, or the whole answer)
 * @param nanos           from the first request (or opening the connection) to the last byte
 * @param job             the job's run time on the server (query, JSON, result chunks written to the
 *                        store); null for the baseline
 * @param firstByteNanos  until the answer carrying the records began; null for the baseline
 * @param polls           getJobStatus calls; 0 unless async
 * @param peakHeapBytes   the server's peak heap ({@link HeapProbe#peakHeapBytes()}); null for the baseline
 * @param peakOldGenBytes the server's old generation peak; null for the baseline
 * @param maxHeapBytes    the server's maximum heap; null for the baseline
 */
record Measurement(String database, String store, String mode, long rows, long bytes, long nanos, Duration job,
                   Long firstByteNanos, int polls, Long peakHeapBytes, Long peakOldGenBytes, Long maxHeapBytes) {

    static final String BASELINE = "baseline";

    double seconds() {
        return nanos / 1e9;
    }

    double rowsPerSecond() {
        return rows / seconds();
    }

    boolean isBaseline() {
        return mode.equals(BASELINE);
    }
}
