package org.openinfolink.job;

import java.time.Instant;

/**
 * A job as the job store keeps it: identity, request, state and times. Immutable; a snapshot of
 * the row at the moment it was read.
 *
 * @param seq         the store's sequence number: increases with every job, orders listings
 * @param request     what was asked (its {@code jobId} is the job's id, never null here)
 * @param state       where the job is in its life
 * @param attempt     how many times a node started it (0 while first queued)
 * @param nodeId      the node running it, or null
 * @param submittedAt when it was accepted
 * @param startedAt   when its current attempt started, or null
 * @param finishedAt  when it ended, or null
 * @param message     why it failed or stopped, or null
 * @param progress    the top-level step running, or null
 */
public record JobRecord(long seq, JobRequest request, JobState state, int attempt, String nodeId,
                        Instant submittedAt, Instant startedAt, Instant finishedAt, String message,
                        Progress progress) {

    /** What a running job is doing, for {@code progress}. */
    public record Progress(int step, int steps, String title) {
    }

    public String appId() {
        return request.appId();
    }

    public String jobId() {
        return request.jobId();
    }

    @Override
    public String toString() {
        return "Job[" + request.jobId() + " of app " + request.appId() + ", " + state.stateName() + "]";
    }
}
