package org.openinfolink.job;

import java.time.Duration;
import java.time.Instant;
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
 * more progress or trace to it. Thread safe: the job's thread reports, any thread cancels or waits.
 */
final class RunningJob implements ExecutionListener {

    private static final Logger LOG = Logger.getLogger(RunningJob.class.getName());

    private final JobRecord record;
    private final JobStore store;
    private final Cancellation cancellation = new Cancellation();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final Instant startedHere;
    private int steps;
    private int results;
    private volatile JobState endState;
    private volatile String endMessage = "without an outcome";

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

    @Override
    public void stepStarted(int step, int stepCount, String title) {
        if (lost()) {
            return;
        }
        try {
            store.progress(record.seq(), new JobRecord.Progress(step, stepCount, title));
        } catch (StoreUnavailableException e) {
            LOG.log(Level.FINE, "Progress of " + record + " not recorded", e);
        }
    }

    @Override
    public void stepFinished(StepTrace trace) {
        int number;
        synchronized (this) {
            number = ++steps;
        }
        if (lost()) {
            LOG.fine(() -> "Step " + trace.label() + " of " + record + " not recorded: another node resolved the job");
            return;
        }
        try {
            store.addStep(record.seq(), number, trace);
        } catch (StoreUnavailableException e) {
            LOG.warning("Step " + trace.label() + " of " + record + " is missing from its trace: the job store"
                    + " could not be written");
        }
    }

    @Override
    public ResultOutput newResult(String name, List<ColumnInfo> columns) {
        int number;
        synchronized (this) {
            number = ++results;
        }
        return store.newResult(record.seq(), number, name, columns);
    }

    @Override
    public String toString() {
        return "job " + record.jobId() + " of app " + record.appId();
    }
}
