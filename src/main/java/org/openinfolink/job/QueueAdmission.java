package org.openinfolink.job;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Decides whether a job may join the queue, under {@code jobs.maxQueued} for the whole cluster
 * and {@code jobs.maxQueuedPerClient} for its client, without counting the store's queued jobs
 * for every submission: a count reads every queued row, so a long queue would make each
 * submission as dear as a job.
 *
 * <p>This node remembers the last counts it took and adds the jobs it queued since. Those
 * estimates are never below the truth as far as this node goes (jobs leaving the queue are not
 * subtracted), so a submission is admitted without a count only while both estimates stay more
 * than a tenth of their limit (at least one job) below it, and the counts are at most
 * {@link #RECOUNT_NANOS} old; otherwise the queue is counted again, as before. On one node the
 * limits hold as exactly as with a count for every submission (counting and inserting are two
 * statements, so submissions racing each other could always pass a limit by a few). With several
 * nodes the other nodes' jobs reach this node's estimate at its next count: within
 * {@link #RECOUNT_NANOS}, and only they can carry the queue further past a limit, by what they
 * queue beyond the margin in that time. Thread safe.
 */
final class QueueAdmission {

    /** How long a count of the queue is used before the queue is counted again. */
    static final long RECOUNT_NANOS = 250_000_000L;

    /** The last count of the whole queue, or of one client's jobs in it, and what this node queued since. */
    private static final class Estimate {
        private long countedAt;
        private int counted;
        private int addedSince;

        int value() {
            return counted + addedSince;
        }
    }

    private final JobStore store;
    private final int maxQueued;
    private final int maxQueuedPerClient;
    private final LongSupplier nanoTime;
    private final Estimate total = new Estimate();
    /** A client's estimate exists only after a count, which counted the whole queue too. */
    private final Map<String, Estimate> byClient = new HashMap<>();

    QueueAdmission(JobStore store, int maxQueued, int maxQueuedPerClient, LongSupplier nanoTime) {
        this.store = store;
        this.maxQueued = maxQueued;
        this.maxQueuedPerClient = maxQueuedPerClient;
        this.nanoTime = nanoTime;
    }

    /**
     * Admits one more queued job of the client, counting it in the estimates, or refuses it.
     *
     * @throws JobRefusedException with {@link JobRefusedException.Reason#QUEUE_FULL} when the queue or the
     *                             client's share of it is full
     */
    synchronized void admit(String clientName) {
        Estimate client = byClient.get(clientName);
        long now = nanoTime.getAsLong();
        if (client != null && fresh(total, now) && fresh(client, now)
                && farBelow(total.value(), maxQueued) && farBelow(client.value(), maxQueuedPerClient)) {
            total.addedSince++;
            client.addedSince++;
            return;
        }
        // counted under the lock: the submissions waiting for it then find the fresh count
        JobStore.QueueCounts queued = store.countQueued(clientName);
        if (queued.total() >= maxQueued) {
            throw new JobRefusedException(JobRefusedException.Reason.QUEUE_FULL, "Server is busy: "
                    + maxQueued + " jobs are queued. Retry later.");
        }
        if (queued.ofClient() >= maxQueuedPerClient) {
            throw new JobRefusedException(JobRefusedException.Reason.QUEUE_FULL, "Client '" + clientName
                    + "' has " + maxQueuedPerClient + " jobs queued, its limit. Retry later.");
        }
        now = nanoTime.getAsLong();
        recount(total, queued.total(), now);
        recount(byClient.computeIfAbsent(clientName, name -> new Estimate()), queued.ofClient(), now);
    }

    private static boolean fresh(Estimate estimate, long now) {
        return now - estimate.countedAt < RECOUNT_NANOS;
    }

    /** Whether one more job leaves the estimate more than the margin below the limit. */
    private static boolean farBelow(int estimate, int limit) {
        return estimate + 1 + Math.max(1, limit / 10) <= limit;
    }

    /** A count just taken, with the job being admitted added. */
    private static void recount(Estimate estimate, int counted, long now) {
        estimate.countedAt = now;
        estimate.counted = counted;
        estimate.addedSince = 1;
    }
}
