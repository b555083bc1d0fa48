package org.openinfolink.job;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import org.openinfolink.engine.ResultOutput;
import org.openinfolink.engine.StepTrace;
import org.openinfolink.sql.ColumnInfo;

/**
 * Where jobs live: a database shared by every node (CONTRACT sections 9 and 10). Every state
 * change is one conditional write whose outcome says who won, so any number of nodes may call any
 * method at once. Times come from the store's clock.
 *
 * <p>Implementations are thread safe. Every method may throw {@link StoreUnavailableException}
 * when the store cannot be reached.
 */
public interface JobStore {

    /**
     * The outcome of {@link #insert}: the job holding the id, and whether this call created it; or
     * {@link #NO_SLOT}, no job, when a slot was asked for and the scenario had none free.
     */
    record Insertion(JobRecord job, boolean created) {

        public static final Insertion NO_SLOT = new Insertion(null, false);

        public boolean noSlot() {
            return job == null;
        }
    }

    /**
     * A node of the store, as {@link #nodes()} lists it.
     *
     * @param nodeId            the node's id
     * @param heartbeatAgeMillis how long ago, by the store's clock, the node wrote its last heartbeat
     * @param runningJobs       the jobs it runs (or stops) now
     */
    record NodeInfo(String nodeId, long heartbeatAgeMillis, int runningJobs) {
    }

    /** The outcome of {@link #requestStop}: what the call did, and the job as it was found. */
    record StopResult(StopOutcome outcome, JobRecord job) {
    }

    /** Jobs waiting to be claimed, across every node: all of them, and those of one client. */
    record QueueCounts(int total, int ofClient) {
    }

    /**
     * Stores a new job unless its app already has one with that id. The job is committed when
     * this returns.
     *
     * @param request  the request; its {@code jobId} is set
     * @param runOn    null to queue the job; else the node that runs it from now (attempt 1)
     * @param takeSlot whether the job takes one of its scenario's slots ({@code request.concurrency()})
     *                 with it; when none is free nothing is stored and the answer is
     *                 {@link Insertion#NO_SLOT}, unless the id is taken (then that job, as always)
     */
    Insertion insert(JobRequest request, String runOn, boolean takeSlot);

    /** {@link #insert(JobRequest, String, boolean)} without a slot. */
    default Insertion insert(JobRequest request, String runOn) {
        return insert(request, runOn, false);
    }

    Optional<JobRecord> find(String appId, String jobId);

    /** Jobs waiting to be claimed, across every node. */
    int countQueued();

    /** Jobs waiting to be claimed, across every node, and how many of them {@code clientName} sent. */
    QueueCounts countQueued(String clientName);

    /** Jobs newest first, as the query says. */
    List<JobRecord> list(JobQuery query);

    /**
     * The jobs that finished in the last {@code windowMillis} by the store's clock, counted by
     * minute, final state and how long they ran: what the console's charts draw.
     *
     * @param durationBoundsMillis ascending upper bounds of the duration classes; a job that ran
     *                             {@code d} ms is in the first class with {@code d < bound}, or in
     *                             class {@code durationBoundsMillis.length} when longer
     */
    FinishedCounts finishedCounts(long windowMillis, long[] durationBoundsMillis);

    /**
     * What {@link #finishedCounts} found.
     *
     * @param nowMillis the store's clock when it counted
     * @param counts    the non-empty groups
     */
    record FinishedCounts(long nowMillis, List<Count> counts) {

        /**
         * Jobs of one minute, state and duration class.
         *
         * @param minutesAgo    0 for jobs that finished less than a minute ago, 1 for the minute before, ...
         * @param durationClass the duration class, or -1 for a job that never started (stopped while queued)
         */
        public record Count(int minutesAgo, JobState state, int durationClass, int jobs) {
        }
    }

    /**
     * Claims up to {@code max} queued jobs, oldest first, for a node: each becomes running on it,
     * its attempt counted. A job is claimed by one node only. A job of a scenario with a
     * concurrency limit is claimed only with a free slot of its scenario (unless it holds one),
     * and a job that must wait for one holds up none behind it.
     */
    List<JobRecord> claim(String nodeId, int max);

    /**
     * Ends a job run by a node.
     *
     * @return the job as it ended, or empty when it was no longer running on that node (a sweeper took it)
     */
    default Optional<JobRecord> finish(long seq, String nodeId, JobState state, String message) {
        return finish(seq, nodeId, state, message, Written.NONE);
    }

    /**
     * Ends a job run by a node and, in the same transaction, keeps what it wrote that is not in
     * the store yet: a job that ends quickly writes its trace and small result sets only with its
     * end. Nothing of it is kept when the job was no longer running on that node.
     *
     * @return the job as it ended, or empty when it was no longer running on that node (a sweeper took it)
     */
    Optional<JobRecord> finish(long seq, String nodeId, JobState state, String message, Written written);

    /** Trace steps and complete result sets of a job that its node kept back, to write with its end. */
    record Written(List<Step> steps, List<Result> results) {

        public static final Written NONE = new Written(List.of(), List.of());

        public boolean isEmpty() {
            return steps.isEmpty() && results.isEmpty();
        }

        /** Step {@code number} of the trace. */
        public record Step(int number, StepTrace trace) {
        }

        /** Result set {@code number}: its records' JSON array, whole. */
        public record Result(int number, String name, List<ColumnInfo> columns, byte[] records, long rows) {
        }
    }

    /**
     * Queues a job run by a node again, for another attempt (it was interrupted and may be rerun).
     *
     * @return false when the job was no longer running on that node
     */
    boolean requeue(long seq, String nodeId);

    /**
     * Asks a job to stop: a queued job ends stopped at once, a running one moves to stopping (its
     * node sees it through {@link #stopsRequested}).
     *
     * @return empty when there is no such job
     */
    Optional<StopResult> requestStop(String appId, String jobId);

    /** The jobs running on a node that were asked to stop. */
    List<Long> stopsRequested(String nodeId);

    /** Records the top-level step a job runs now. */
    void progress(long seq, JobRecord.Progress progress);

    /**
     * Appends a finished step to the trace of a job while it is still the given run; {@code number}
     * orders the trace.
     *
     * @param run the job as its node started it: its seq, node and attempt
     * @return false, and nothing written, when the job is no longer that run: ended, or resolved by
     *         another node and perhaps run again
     */
    boolean addStep(JobRecord run, int number, StepTrace step);

    /** A job's trace in order. */
    List<StepTrace> steps(long seq);

    /**
     * Starts result set {@code number} of a job; its records are kept in chunks as they are
     * written and it joins the job's results on {@link ResultOutput#complete}. Once the job is no
     * longer the given run (see {@link #addStep}) nothing more of it is kept: its writes and its
     * completion fail with a {@link RunEndedException}.
     *
     * @param run the job as its node started it: its seq, node and attempt
     */
    ResultOutput newResult(JobRecord run, int number, String name, List<ColumnInfo> columns);

    /** A job's complete result sets in order. */
    List<ResultInfo> results(long seq);

    /**
     * The records of a result set as one JSON array, read from the store a chunk at a time. The
     * caller closes the stream.
     */
    InputStream openRecords(long seq, int number);

    /** Forgets what an earlier attempt of a job wrote: its trace and result sets. */
    void clearOutput(long seq);

    // ---- nodes ---------------------------------------------------------------------------------

    /** Whether several nodes may share this store; on a store of one node, every other node is gone. */
    boolean isShared();

    /** Adds a node, or renews it when the id exists, with a fresh heartbeat. */
    void registerNode(String nodeId);

    /**
     * Writes a node's heartbeat.
     *
     * @return false when the node has no row any more: it was declared dead
     */
    boolean heartbeat(String nodeId);

    /** Every node with a row, by id. */
    List<NodeInfo> nodes();

    /** The nodes whose last heartbeat is older than {@code timeoutMillis} by the store's clock. */
    List<String> silentNodes(long timeoutMillis);

    /** The nodes that run jobs but have no row (their row was removed while jobs were left). */
    List<String> vanishedNodes();

    /**
     * Resolves the unfinished jobs of a node that is gone: a job that may be rerun and has had
     * fewer than {@code maxAttempts} attempts is queued again, every other one ends stopped with
     * {@code message}. Then removes the node's row, unless {@code removeNode} is false.
     *
     * @return how many jobs were resolved
     */
    int resolveNode(String nodeId, String message, int maxAttempts, boolean removeNode);

    // ---- retention -----------------------------------------------------------------------------

    /**
     * Deletes finished jobs with their trace and results, {@code batchSize} jobs per transaction:
     * those finished more than {@code keepMillis} ago, and in each app those beyond its newest
     * {@code keepPerApp} finished jobs; never one that finished less than {@code floorMillis} ago.
     *
     * @return how many jobs were deleted
     */
    int purge(int keepPerApp, long keepMillis, long floorMillis, int batchSize);

    /**
     * Ends what the store itself runs (its I/O threads) once no job uses it any more; the
     * database and its pool stay the caller's.
     */
    default void close() {
    }
}
