package org.openinfolink.job;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openinfolink.engine.Cancellation;
import org.openinfolink.engine.ExecutionListener;
import org.openinfolink.engine.StepTrace;
import org.openinfolink.result.StoredResult;

/**
 * One job: its identity, its request, and the state the registry and the engine move it through.
 *
 * <p>Thread safe. State changes happen under the job's monitor; results and trace are appended by
 * the job's thread and read by any thread; {@link #snapshot()} gives a consistent view for answers.
 */
public final class Job implements ExecutionListener {

    /** What a running job is doing, for {@code progress}. */
    public record Progress(int step, int steps, String title) {
    }

    /**
     * A consistent view of the job at one moment.
     *
     * @param results result sets finished so far, in order
     * @param trace   steps finished so far, in order
     */
    public record Snapshot(JobState state, Instant submittedAt, Instant startedAt, Instant finishedAt,
                           String message, Progress progress, List<StoredResult> results, List<StepTrace> trace) {
    }

    private final String id;
    private final long sequence;
    private final JobRequest request;
    private final Instant submittedAt;
    private final Cancellation cancellation = new Cancellation();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final List<StoredResult> results = new CopyOnWriteArrayList<>();
    private final List<StepTrace> trace = new CopyOnWriteArrayList<>();

    private JobState state = JobState.QUEUED;
    private Instant startedAt;
    private Instant finishedAt;
    private String message;
    private Progress progress;
    private boolean stopRequested;
    private boolean discarded;

    Job(String id, long sequence, JobRequest request, Instant submittedAt) {
        this.id = id;
        this.sequence = sequence;
        this.request = request;
        this.submittedAt = submittedAt;
    }

    public String id() {
        return id;
    }

    public String appId() {
        return request.appId();
    }

    /** Increases with every job submitted to this server; orders listings. */
    public long sequence() {
        return sequence;
    }

    public JobRequest request() {
        return request;
    }

    public Cancellation cancellation() {
        return cancellation;
    }

    public synchronized Snapshot snapshot() {
        return new Snapshot(state, submittedAt, startedAt, finishedAt, message,
                state == JobState.RUNNING || state == JobState.STOPPING ? progress : null,
                List.copyOf(results), List.copyOf(trace));
    }

    public synchronized JobState state() {
        return state;
    }

    public synchronized Instant finishedAt() {
        return finishedAt;
    }

    /**
     * Waits until the job has finished.
     *
     * @return true if it finished within {@code timeout}
     */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Moves a queued job to running; false if it was stopped while queued. */
    synchronized boolean start(Instant now) {
        if (state != JobState.QUEUED) {
            return false;
        }
        state = JobState.RUNNING;
        startedAt = now;
        return true;
    }

    /**
     * Records a stop request. A queued job stops here and now; a running one moves to stopping and
     * the caller cancels it.
     */
    synchronized StopOutcome requestStop(Instant now) {
        if (state.isFinished()) {
            return StopOutcome.ALREADY_COMPLETED;
        }
        if (stopRequested) {
            return StopOutcome.ALREADY_BEING_STOPPED;
        }
        stopRequested = true;
        if (state == JobState.QUEUED) {
            finish(JobState.STOPPED, "Stopped by request", now);
        } else {
            state = JobState.STOPPING;
        }
        return StopOutcome.STOP_STARTED;
    }

    /** Ends the job; later calls do nothing. */
    synchronized void finish(JobState finalState, String finalMessage, Instant now) {
        if (state.isFinished()) {
            return;
        }
        state = finalState;
        message = finalMessage;
        finishedAt = now;
        if (startedAt == null && finalState != JobState.STOPPED) {
            startedAt = now;
        }
        finished.countDown();
    }

    /** Frees the job's spooled results; the job is being forgotten. */
    synchronized void discard() {
        if (!discarded) {
            discarded = true;
            results.forEach(StoredResult::discard);
        }
    }

    @Override
    public synchronized void stepStarted(int step, int steps, String title) {
        progress = new Progress(step, steps, title);
    }

    @Override
    public void stepFinished(StepTrace step) {
        trace.add(step);
    }

    @Override
    public void resultAdded(StoredResult result) {
        synchronized (this) {
            if (!discarded) {
                results.add(result);
                return;
            }
        }
        result.discard();
    }

    @Override
    public String toString() {
        return "Job[" + id + " of app " + request.appId() + "]";
    }
}
