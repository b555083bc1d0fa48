package org.openinfolink.job;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Where jobs are kept: unique by (app, job id), listed newest first, forgotten by age and count
 * once finished. Implementations are thread safe. The registry is the only writer.
 */
public interface JobStore {

    /**
     * Adds a job unless its app already has one with that id.
     *
     * @return the job already holding the id, or null when {@code job} was added
     */
    Job putIfAbsent(Job job);

    Optional<Job> find(String appId, String jobId);

    /**
     * An app's jobs, newest first.
     *
     * @param filter         which jobs to include
     * @param beforeSequence only jobs older than this {@link Job#sequence()}; null for the newest
     * @param limit          the most jobs returned
     */
    List<Job> list(String appId, Predicate<Job> filter, Long beforeSequence, int limit);

    /** Every job not finished, in submission order. */
    List<Job> unfinished();

    /** Forgets a job that never ran (refused after being added). */
    void remove(Job job);

    /**
     * Records that a job finished and forgets the oldest finished jobs beyond {@code keep}.
     *
     * @return the jobs forgotten
     */
    List<Job> finished(Job job, int keep);

    /**
     * Forgets finished jobs that finished before {@code cutoff}.
     *
     * @return the jobs forgotten
     */
    List<Job> forgetFinishedBefore(Instant cutoff);
}
