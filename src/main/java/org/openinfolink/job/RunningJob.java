package org.openinfolink.job;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openinfolink.engine.CancelReason;
import org.openinfolink.engine.Cancellation;
import org.openinfolink.engine.ExecutionListener;
import org.openinfolink.engine.ResultOutput;
import org.openinfolink.engine.StepTrace;
import org.openinfolink.sql.ColumnInfo;

/**
 * The live side of a job that runs on this node: what only this node holds (the cancellation of
 * its statements, the latch its local waiters wait on) and the listener that writes the job's
 * progress, trace and result sets to the store as the engine reports them. The job's state itself
 * is data in the store. Once this node learns it was declared dead while the job ran
 * ({@link CancelReason#NODE_LOST}), another node has resolved the job and the listener writes no
 * more progress or trace to it.
 *
 * <p>For its first {@link #KEEP_BACK} the listener keeps progress, trace steps and result sets of
 * up to {@link #KEPT_BACK_RESULT_BYTES} on this node: most jobs end sooner, and then write them
 * with their end in one transaction ({@link #takeKeptBack()}) instead of one round trip each.
 * After that time (or once a set grows larger) everything goes to the store as it happens. Thread
 * safe: the job's thread reports, the registry's timer stops the keeping back, any thread
 * cancels or waits.
 */
final class RunningJob implements ExecutionListener {

    private static final Logger LOG = Logger.getLogger(RunningJob.class.getName());

    /** How long a job keeps its progress, trace and small result sets on this node. */
    static final Duration KEEP_BACK = Duration.ofMillis(200);

    /** The largest result set kept back; a larger one is written to the store as it is read. */
    static final int KEPT_BACK_RESULT_BYTES = 64 * 1024;

    private final JobRecord record;
    private final JobStore store;
    private final Cancellation cancellation = new Cancellation();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final Instant startedHere;
    private int steps;
    private int results;
    private volatile JobState endState;
    private volatile String endMessage = "without an outcome";
    /** Whether writes are kept back; changed, and the kept writes read, under this object's lock. */
    private volatile boolean keepingBack = true;
    private JobRecord.Progress keptProgress;
    private final List<JobStore.Written.Step> keptSteps = new ArrayList<>();
    private final List<JobStore.Written.Result> keptResults = new ArrayList<>();
    /** Whether a result set went to the store as it was read, having outgrown the keeping back. */
    private volatile boolean resultStreamed;

    /**
     * What a job kept back, handed over at its end.
     *
     * @param whole whether it is all the job wrote: nothing of it went to the store before
     */
    record KeptBack(JobStore.Written written, boolean whole) {
        static final KeptBack NONE = new KeptBack(JobStore.Written.NONE, false);
    }

    RunningJob(JobRecord record, JobStore store, Instant startedHere) {
        this.record = record;
        this.store = store;
        this.startedHere = startedHere;
    }

    /** When this node started running the job, by its own clock. */
    Instant startedHere() {
        return startedHere;
    }

    /** Records how the job ended here: a final state, or null when it did not finish here (see {@link JobEvents#ended}). */
    void outcome(JobState state, String message) {
        endState = state;
        endMessage = message;
    }

    JobState endState() {
        return endState;
    }

    String endMessage() {
        return endMessage;
    }

    JobRecord record() {
        return record;
    }

    long seq() {
        return record.seq();
    }

    Cancellation cancellation() {
        return cancellation;
    }

    /** Marks the job ended on this node; its waiters wake. */
    void markEnded() {
        ended.countDown();
    }

    /** Waits up to {@code timeout} for the job to end here. */
    void awaitEnd(Duration timeout) throws InterruptedException {
        ended.await(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
    }

    /** Whether another node resolved the job because this one was declared dead: it is not ours to write. */
    private boolean lost() {
        return cancellation.reason() == CancelReason.NODE_LOST;
    }

    /**
     * The store refused a write because the job is no longer this run (another node resolved it
     * while this one was silent): it stops here, as when the heartbeat finds the node declared dead.
     */
    private void resolvedElsewhere() {
        LOG.warning("Job " + record.jobId() + " of app " + record.appId() + " was resolved by another node while"
                + " this one ran it; it stops here and writes nothing more");
        cancellation.cancel(CancelReason.NODE_LOST);
    }

    /**
     * Writes what was kept back to the store and keeps nothing back from now on; the registry's
     * timer calls it {@link #KEEP_BACK} after the start. Writes that fail are logged and lost, as
     * every progress and trace write is when the store cannot be reached.
     */
    synchronized void stopKeepingBack() {
        if (!keepingBack) {
            return;
        }
        keepingBack = false;
        JobRecord.Progress progress = keptProgress;
        List<JobStore.Written.Step> steps = List.copyOf(keptSteps);
        List<JobStore.Written.Result> results = List.copyOf(keptResults);
        clearKept();
        if (lost()) {
            return;
        }
        try {
            // the finished steps first: whoever sees the progress sees the steps before it
            for (JobStore.Written.Step step : steps) {
                if (!store.addStep(record, step.number(), step.trace())) {
                    resolvedElsewhere();
                    return;
                }
            }
            for (JobStore.Written.Result result : results) {
                ResultOutput output = store.newResult(record, result.number(), result.name(), result.columns());
                output.records().write(result.records());
                output.complete(result.rows());
            }
            if (progress != null) {
                store.progress(record.seq(), progress);
            }
        } catch (RunEndedException e) {
            resolvedElsewhere();
        } catch (StoreUnavailableException | IOException e) {
            LOG.warning("Some of the trace or results of " + record + " are missing: the job store could not be"
                    + " written");
        }
    }

    /** Ends the keeping back and hands over what was kept, for the job's end to write. */
    synchronized KeptBack takeKeptBack() {
        boolean whole = keepingBack && !resultStreamed;
        keepingBack = false;
        JobStore.Written written = new JobStore.Written(List.copyOf(keptSteps), List.copyOf(keptResults));
        clearKept();
        return new KeptBack(written, whole);
    }

    private void clearKept() {
        keptProgress = null;
        keptSteps.clear();
        keptResults.clear();
    }

    @Override
    public synchronized void stepStarted(int step, int stepCount, String title) {
        if (lost()) {
            return;
        }
        JobRecord.Progress progress = new JobRecord.Progress(step, stepCount, title);
        if (keepingBack) {
            keptProgress = progress;
            return;
        }
        try {
            store.progress(record.seq(), progress);
        } catch (StoreUnavailableException e) {
            LOG.log(Level.FINE, "Progress of " + record + " not recorded", e);
        }
    }

    @Override
    public synchronized void stepFinished(StepTrace trace) {
        int number = ++steps;
        if (lost()) {
            LOG.fine(() -> "Step " + trace.label() + " of " + record + " not recorded: another node resolved the job");
            return;
        }
        if (keepingBack) {
            keptSteps.add(new JobStore.Written.Step(number, trace));
            return;
        }
        try {
            if (!store.addStep(record, number, trace)) {
                resolvedElsewhere();
            }
        } catch (StoreUnavailableException e) {
            LOG.warning("Step " + trace.label() + " of " + record + " is missing from its trace: the job store"
                    + " could not be written");
        }
    }

    @Override
    public synchronized ResultOutput newResult(String name, List<ColumnInfo> columns) {
        int number = ++results;
        return keepingBack ? new KeptBackOutput(number, name, columns)
                : store.newResult(record, number, name, columns);
    }

    /**
     * A result set held in memory while the job keeps back, and written to the store as it is read
     * once the job stops keeping back or the set outgrows {@link #KEPT_BACK_RESULT_BYTES}. Used by
     * the job's thread.
     */
    private final class KeptBackOutput extends OutputStream implements ResultOutput {
        private final int number;
        private final String name;
        private final List<ColumnInfo> columns;
        private ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private ResultOutput stored;

        KeptBackOutput(int number, String name, List<ColumnInfo> columns) {
            this.number = number;
            this.name = name;
            this.columns = List.copyOf(columns);
        }

        @Override
        public OutputStream records() {
            return this;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int count) throws IOException {
            if (stored == null && (!keepingBack || kept.size() + count > KEPT_BACK_RESULT_BYTES)) {
                toStore();
            }
            if (stored != null) {
                stored.records().write(bytes, offset, count);
            } else {
                kept.write(bytes, offset, count);
            }
        }

        private void toStore() throws IOException {
            resultStreamed = true;
            stored = store.newResult(record, number, name, columns);
            kept.writeTo(stored.records());
            kept = null;
        }

        @Override
        public void complete(long rows) throws IOException {
            if (stored == null) {
                synchronized (RunningJob.this) {
                    if (keepingBack) {
                        keptResults.add(new JobStore.Written.Result(number, name, columns, kept.toByteArray(), rows));
                        kept = null;
                        return;
                    }
                }
                toStore();
            }
            stored.complete(rows);
        }

        @Override
        public void discard() {
            kept = null;
            if (stored != null) {
                stored.discard();
            }
        }
    }

    @Override
    public String toString() {
        return "job " + record.jobId() + " of app " + record.appId();
    }
}
