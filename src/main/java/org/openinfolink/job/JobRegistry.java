package org.openinfolink.job;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openinfolink.config.Settings;
import org.openinfolink.errors.InternalErrors;
import org.openinfolink.engine.CancelReason;
import org.openinfolink.engine.JobCancelledException;
import org.openinfolink.engine.JobExecution;
import org.openinfolink.engine.JobPlan;
import org.openinfolink.engine.RequestRejectedException;
import org.openinfolink.engine.StepFailedException;
import org.openinfolink.engine.StepTrace;
import org.openinfolink.scenario.Concurrency;

/**
 * Accepts, runs, stops and lists jobs; the one entry point of the job layer. Jobs are rows of the
 * {@link JobStore}, shared by every node; this node holds only the live side of the jobs it runs
 * ({@link RunningJob}).
 *
 * <p>A submitted job is committed to the store before {@link #submit} returns. It runs here at
 * once when this node has a free slot (at most {@code jobs.maxConcurrent}); otherwise it waits
 * queued, up to {@code jobs.maxQueued} across the cluster, until a node claims it. Every
 * {@code store.heartbeatSeconds} the node writes its heartbeat, resolves the jobs of nodes silent
 * for {@code store.nodeTimeoutSeconds}, cancels the jobs it runs that were asked to stop through
 * another node, and claims queued jobs; every minute it purges finished jobs past retention.
 *
 * <p>Thread safe. {@link #close()} shuts down gracefully and is idempotent: refuse new jobs, wait
 * up to {@code jobs.shutdownTimeoutSeconds} for running ones, stop the rest with
 * {@value #SHUT_DOWN} (or queue them again when they may be rerun), leave queued jobs queued.
 */
public final class JobRegistry implements AutoCloseable {

    /** Turns a stored job into work, on the node that runs it. */
    @FunctionalInterface
    public interface Planner {
        /** @throws RequestRejectedException when the job can no longer run (its app or scenario changed) */
        JobPlan plan(JobRecord job);
    }

    /** Renders an answer about a job, such as a status document. */
    @FunctionalInterface
    public interface Rendering {
        byte[] render() throws IOException;
    }

    /** The most attempts of a job that may be rerun after an interruption. */
    public static final int MAX_ATTEMPTS = 3;

    static final String SHUT_DOWN = "Interrupted: server shut down.";

    private static final Logger LOG = Logger.getLogger(JobRegistry.class.getName());
    private static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);
    private static final Duration REMOTE_POLL = Duration.ofMillis(100);
    private static final Duration CANCEL_GRACE = Duration.ofSeconds(10);
    /** How long a sync call may wait for a slot of this node before its job is queued. */
    static final Duration LOCAL_SLOT_WAIT = Duration.ofSeconds(1);

    private final Settings.Jobs settings;
    private final Settings.Store storeSettings;
    private final JobStore store;
    private final Planner planner;
    private final JobEvents events;
    private final String nodeId;
    private final Clock clock;
    private final Semaphore slots;
    private final ThreadPoolExecutor workers;
    private final ScheduledThreadPoolExecutor background;
    private final ScheduledThreadPoolExecutor timer;
    private final Map<Long, RunningJob> running = new ConcurrentHashMap<>();
    /** Finished jobs lately read, so that polling them needs no store round trip. */
    private final FinishedJobs finished;
    private final QueueAdmission queueAdmission;
    private final Map<Long, PendingEnd> pendingEnds = new ConcurrentHashMap<>();
    private final AtomicBoolean dispatchRequested = new AtomicBoolean();
    /**
     * Whether the queue may hold work this node could claim: false once a claim came back with
     * fewer jobs than it asked for, true again when this node queues a job or a claim fills every
     * slot. A job that ends here claims the next one only while it is true (or when it frees a
     * slot of a limited scenario); the heartbeat claims whatever other nodes queued, either way.
     */
    private final AtomicBoolean queueMayHoldWork = new AtomicBoolean(true);
    private final Object ends = new Object();
    /** The callers waiting for a job, by its seq: woken when it starts or ends here, else they poll the store. */
    private final Map<Long, Waiters> waiters = new ConcurrentHashMap<>();
    /**
     * Held while the dispatcher claims, so a submit sees the slots the claim leaves free. A submit
     * waits for it only while the queue is thought empty: with jobs queued the claim takes every
     * slot it holds, and the submit joins the queue without waiting for the claim's round trips.
     */
    private final Object dispatchLock = new Object();
    private volatile boolean shuttingDown;
    private volatile boolean storeReachable = true;
    private boolean closed;

    /** The monitor the callers waiting for one job wait on, and how many they are. */
    private static final class Waiters {
        private int count;
    }

    /** An end of a job that the store could not record yet; retried every heartbeat. */
    private record PendingEnd(long seq, JobState state, String message, boolean requeue, RunningJob.KeptBack kept) {
    }

    /**
     * A registry for this node. Nothing runs until {@link #start()}.
     *
     * @param events told of every job submitted, claimed, stopped and ended here
     * @param nodeId this node's id in the store
     */
    public JobRegistry(Settings.Jobs settings, Settings.Store storeSettings, JobStore store, Planner planner,
                       JobEvents events, String nodeId, Clock clock) {
        this.settings = settings;
        this.storeSettings = storeSettings;
        this.store = store;
        this.planner = planner;
        this.events = events;
        this.nodeId = nodeId;
        this.clock = clock;
        this.finished = new FinishedJobs(Duration.ofMinutes(settings.keepFinishedMinMinutes()), clock);
        this.slots = new Semaphore(settings.maxConcurrent());
        this.queueAdmission = new QueueAdmission(store, settings.maxQueued(), settings.maxQueuedPerClient(),
                System::nanoTime);
        this.workers = new ThreadPoolExecutor(settings.maxConcurrent(), settings.maxConcurrent(), 0,
                TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), new NamedThreadFactory("infolink-job"));
        this.background = new ScheduledThreadPoolExecutor(1, new NamedThreadFactory("infolink-job-store"));
        this.timer = new ScheduledThreadPoolExecutor(1, new NamedThreadFactory("infolink-job-timer"));
        timer.setRemoveOnCancelPolicy(true);
    }

    /**
     * Registers this node and recovers: jobs left running by an earlier run of this node (same id)
     * or, on a store only one node may use, by any earlier node end stopped (or are queued again);
     * then the background loops start and queued jobs run.
     */
    public void start() {
        report(store.resolveNode(nodeId, stoppedWhileRunning(nodeId), MAX_ATTEMPTS, false), nodeId);
        if (!store.isShared()) {
            // every other node is an earlier run, however recent its last heartbeat (even this millisecond)
            for (String earlier : store.nodes().stream().map(JobStore.NodeInfo::nodeId).toList()) {
                if (!earlier.equals(nodeId)) {
                    report(store.resolveNode(earlier, stoppedWhileRunning(earlier), MAX_ATTEMPTS, true), earlier);
                }
            }
        }
        store.registerNode(nodeId);
        LOG.info("Node " + nodeId + " joined the job store");
        // the first claim before any submit: until a claim has seen the queue, a submit that meets
        // the heartbeat's claim holding the free slots would take the queue for full and join it
        dispatch();
        long heartbeat = storeSettings.heartbeatSeconds();
        background.scheduleWithFixedDelay(this::heartbeat, 0, heartbeat, TimeUnit.SECONDS);
        background.scheduleWithFixedDelay(this::purge, 0, PURGE_INTERVAL.toSeconds(), TimeUnit.SECONDS);
    }

    public String nodeId() {
        return nodeId;
    }

    /**
     * Stores a job and starts it here or queues it; a retry of an existing job (same app, id and
     * operation) returns that job and starts nothing. A job of a scenario with a concurrency limit
     * starts here only with a free slot of its scenario; without one it waits queued or, when the
     * scenario rejects, is refused.
     *
     * @throws JobRefusedException DUPLICATE_JOB_ID, QUEUE_FULL, SCENARIO_BUSY or SHUTTING_DOWN
     */
    public JobRecord submit(JobRequest request) {
        return submit(request, false);
    }

    /**
     * As {@link #submit(JobRequest)}; a caller that waits for the job's end (a sync call) may let
     * it wait up to {@link #LOCAL_SLOT_WAIT} for a slot of this node before it is queued, while
     * this node knows of no queued job that the slot would otherwise go to. Such a job is stored
     * once it has its slot, running, and never passes through the queue: one commit and one claim
     * fewer, and the job starts as soon as a job here ends.
     */
    public JobRecord submit(JobRequest request, boolean mayWaitForSlot) {
        refuseIfShuttingDown();
        JobRequest identified = request.jobId() != null ? request : request.withJobId(UUID.randomUUID().toString());
        Concurrency limit = identified.concurrency();
        boolean here = slots.tryAcquire();
        if (!here && !queueMayHoldWork.get()) {
            // a claim in progress holds the free slots: wait for it, it may leave one
            synchronized (dispatchLock) {
                here = slots.tryAcquire();
            }
        }
        if (!here && mayWaitForSlot && !queueMayHoldWork.get()) {
            try {
                here = slots.tryAcquire(LOCAL_SLOT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (here && shuttingDown) {
                slots.release();
                refuseIfShuttingDown();
            }
        }
        boolean started = false;
        try {
            if (!here) {
                refuseIfQueueFull(identified);
            }
            boolean takeSlot = limit != null && (here || limit.rejectsWhenBusy());
            JobStore.Insertion insertion = store.insert(identified, here ? nodeId : null, takeSlot);
            if (insertion.noSlot()) {
                if (limit.rejectsWhenBusy()) {
                    throw new JobRefusedException(JobRefusedException.Reason.SCENARIO_BUSY, "Scenario '"
                            + identified.scenarioName() + "' already runs " + limit.max()
                            + (limit.max() == 1 ? " job" : " jobs") + ", its limit.");
                }
                // the scenario is at its limit: wait in the queue for one of its slots, not here
                slots.release();
                here = false;
                refuseIfQueueFull(identified);
                insertion = store.insert(identified, null, false);
            }
            JobRecord job = insertion.job();
            if (!insertion.created()) {
                if (!job.request().operation().equals(identified.operation())) {
                    throw new JobRefusedException(JobRefusedException.Reason.DUPLICATE_JOB_ID, "Job id '"
                            + identified.jobId() + "' is already used by a different request in app '"
                            + identified.appId() + "'.");
                }
                return job;
            }
            tell(listener -> listener.submitted(job));
            if (here) {
                start(job);
                started = true;
            } else {
                queueMayHoldWork.set(true);
                requestDispatch();
            }
            return job;
        } finally {
            if (here && !started) {
                slots.release();
            }
        }
    }

    /** Refuses a job that would wait beyond the queue's size or its client's share of it. */
    private void refuseIfQueueFull(JobRequest request) {
        queueAdmission.admit(request.clientName());
    }

    /** A job as the store has it; a finished one this node read lately comes from {@link FinishedJobs}. */
    public Optional<JobRecord> find(String appId, String jobId) {
        Optional<JobRecord> kept = finished.find(appId, jobId);
        if (kept.isPresent()) {
            return kept;
        }
        Optional<JobRecord> found = store.find(appId, jobId);
        found.ifPresent(finished::remember);
        return found;
    }

    /** Jobs newest first, as the query says. */
    public List<JobRecord> list(JobQuery query) {
        return store.list(query);
    }

    /** Finished jobs of every node counted by minute, state and duration class, for the console's charts. */
    public JobStore.FinishedCounts finishedCounts(long windowMillis, long[] durationBoundsMillis) {
        return store.finishedCounts(windowMillis, durationBoundsMillis);
    }

    public List<StepTrace> trace(JobRecord job) {
        return finished.trace(job, () -> store.steps(job.seq()));
    }

    public List<ResultInfo> results(JobRecord job) {
        return finished.results(job, () -> store.results(job.seq()));
    }

    /**
     * An answer about a finished job that this node keeps whole (record, trace, result sets and
     * their records), rendered by {@code render} once and kept with the job: a finished job's
     * answer never changes.
     *
     * @param key which answer, for jobs that have several
     * @return the answer, or null when the job is not kept whole here (answer it from its parts)
     */
    public byte[] keptAnswer(JobRecord job, String key, Rendering render) throws IOException {
        return finished.answer(job, key, render);
    }

    /** The records of a result set as one JSON array; the caller closes the stream. */
    public InputStream openRecords(JobRecord job, ResultInfo result) {
        return finished.records(job, result, () -> store.openRecords(job.seq(), result.number()));
    }

    /**
     * Waits until a job has finished, wherever it runs, at most {@code timeout}.
     *
     * @return the job as last read from the store: finished, or not when the wait ran out
     */
    public JobRecord await(JobRecord job, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Waiters mine = waiters.compute(job.seq(), (seq, existing) -> {
            Waiters joined = existing != null ? existing : new Waiters();
            joined.count++;
            return joined;
        });
        try {
            JobRecord latest = job;
            while (true) {
                RunningJob local = running.get(job.seq());
                if (local != null) {
                    local.awaitEnd(Duration.ofNanos(deadline - System.nanoTime()));
                }
                latest = find(job.appId(), job.jobId()).orElse(latest);
                long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (latest.state().isFinished() || leftMillis <= 0) {
                    return latest;
                }
                // woken when the job starts or ends here; a job on another node is polled
                synchronized (mine) {
                    if (!running.containsKey(job.seq())) {
                        mine.wait(Math.min(leftMillis, REMOTE_POLL.toMillis()));
                    }
                }
            }
        } finally {
            waiters.computeIfPresent(job.seq(), (seq, joined) -> --joined.count == 0 ? null : joined);
        }
    }

    /** Wakes the callers waiting for a job that started or ended here. */
    private void wakeWaiters(long seq) {
        Waiters waiting = waiters.get(seq);
        if (waiting != null) {
            synchronized (waiting) {
                waiting.notifyAll();
            }
        }
    }

    /**
     * Stops a job: a queued one at once; a running one by cancelling its statement, here or, through
     * the store, on the node that runs it.
     *
     * @return empty when there is no such job
     */
    public Optional<StopOutcome> stop(String appId, String jobId) {
        Optional<JobStore.StopResult> result = store.requestStop(appId, jobId);
        result.ifPresent(stop -> {
            if (stop.outcome() == StopOutcome.STOP_STARTED) {
                tell(listener -> listener.stopRequested(stop.job()));
                RunningJob local = running.get(stop.job().seq());
                if (local != null) {
                    local.cancellation().cancel(CancelReason.STOP_REQUESTED);
                }
            }
        });
        return result.map(JobStore.StopResult::outcome);
    }

    /** Jobs waiting in the cluster's queue now. */
    public int queuedCount() {
        return store.countQueued();
    }

    /** Every node of the store with its heartbeat age and the jobs it runs. */
    public List<JobStore.NodeInfo> nodes() {
        return store.nodes();
    }

    /** Whether this node may have queued work to claim (see {@code queueMayHoldWork}); for tests. */
    boolean mayHaveQueuedWork() {
        return queueMayHoldWork.get();
    }

    /** Jobs running on this node now. */
    public int runningCount() {
        return running.size();
    }

    public boolean isShuttingDown() {
        return shuttingDown;
    }

    /** Whether the last heartbeat reached the store. */
    public boolean isStoreReachable() {
        return storeReachable;
    }

    private void refuseIfShuttingDown() {
        if (shuttingDown) {
            throw new JobRefusedException(JobRefusedException.Reason.SHUTTING_DOWN,
                    "The server is shutting down. Retry on another server or later.");
        }
    }

    // ---- running jobs on this node -------------------------------------------------------------

    /** Runs a job this node holds a slot for. */
    private void start(JobRecord job) {
        RunningJob handle = new RunningJob(job, store, clock.instant());
        running.put(job.seq(), handle);
        wakeWaiters(job.seq());
        workers.execute(() -> run(handle));
    }

    private void run(RunningJob handle) {
        JobRecord job = handle.record();
        Duration timeout = Duration.ofSeconds(job.request().timeoutSeconds());
        ScheduledFuture<?> timeoutTimer = timer.schedule(
                () -> handle.cancellation().cancel(CancelReason.TIMED_OUT), timeout.toMillis(), TimeUnit.MILLISECONDS);
        ScheduledFuture<?> keepBackTimer = timer.schedule(handle::stopKeepingBack, RunningJob.KEEP_BACK.toMillis(),
                TimeUnit.MILLISECONDS);
        // the start the job shows (and ${now}) is the store's; the deadline is this node's, as its timer
        Instant started = job.startedAt() != null ? job.startedAt() : clock.instant();
        JobExecution execution = new JobExecution(job.jobId(), job.appId(), job.request().scenarioName(), started,
                clock.instant().plus(timeout), handle.cancellation(), handle);
        try {
            if (job.attempt() > 1) {
                store.clearOutput(job.seq());
            }
            JobPlan plan = planner.plan(job);
            plan.work().run(execution);
            handle.cancellation().throwIfCancelled();
            end(handle, JobState.COMPLETED, null);
        } catch (JobCancelledException e) {
            endCancelled(handle, e.reason());
        } catch (StepFailedException e) {
            if (!clock.instant().isBefore(execution.deadline())) {
                // A statement's own timeout never ends before the job's deadline, but it may beat the
                // timer: a step failing at or past the deadline is the job timing out.
                handle.cancellation().cancel(CancelReason.TIMED_OUT);
            }
            if (handle.cancellation().isCancelled()) {
                endCancelled(handle, handle.cancellation().reason());
            } else {
                end(handle, JobState.COMPLETED_WITH_ERROR, e.getMessage());
            }
        } catch (RequestRejectedException e) {
            end(handle, JobState.COMPLETED_WITH_ERROR, "The job cannot run: " + e.getMessage());
        } catch (RuntimeException | Error e) {
            String reference = InternalErrors.log(LOG, "Job " + job.jobId() + " of app " + job.appId(), e);
            end(handle, JobState.COMPLETED_WITH_ERROR, InternalErrors.message(reference));
        } finally {
            timeoutTimer.cancel(false);
            keepBackTimer.cancel(false);
            ended(handle);
        }
    }

    private void endCancelled(RunningJob handle, CancelReason reason) {
        switch (reason) {
            case STOP_REQUESTED -> end(handle, JobState.STOPPED, "Stopped by request");
            case TIMED_OUT -> {
                long seconds = handle.record().request().timeoutSeconds();
                end(handle, JobState.COMPLETED_WITH_ERROR, "Job timed out after " + seconds
                        + (seconds == 1 ? " second" : " seconds"));
            }
            case SHUTDOWN -> {
                JobRecord job = handle.record();
                boolean rerun = job.request().rerunIfInterrupted() && job.attempt() < MAX_ATTEMPTS;
                if (rerun) {
                    handle.outcome(null, "queued again: server shut down");
                } else {
                    handle.outcome(JobState.STOPPED, SHUT_DOWN);
                }
                // a job queued again starts over; one that ends keeps what it wrote
                RunningJob.KeptBack kept = handle.takeKeptBack();
                record(new PendingEnd(job.seq(), JobState.STOPPED, SHUT_DOWN, rerun,
                        rerun ? RunningJob.KeptBack.NONE : kept));
            }
            case NODE_LOST -> handle.outcome(null, "given up: node " + nodeId + " had been declared dead");
        }
    }

    private void end(RunningJob handle, JobState state, String message) {
        handle.outcome(state, message);
        record(new PendingEnd(handle.seq(), state, message, false, handle.takeKeptBack()));
    }

    /**
     * Writes a job's end to the store; when the store cannot take it, keeps it to retry. A job that
     * ended is kept in {@link FinishedJobs} as written, so that its waiters read no store.
     */
    private void record(PendingEnd end) {
        try {
            boolean written = end.requeue() && store.requeue(end.seq(), nodeId);
            if (!written) {
                Optional<JobRecord> ended = store.finish(end.seq(), nodeId, end.state(), end.message(),
                        end.kept().written());
                ended.ifPresent(job -> finished.rememberEnded(job, end.kept().whole() ? end.kept().written() : null));
                written = ended.isPresent();
            }
            if (!written) {
                LOG.warning("The end of job " + end.seq() + " was not recorded: another node resolved it");
            }
            pendingEnds.remove(end.seq());
        } catch (StoreUnavailableException e) {
            pendingEnds.put(end.seq(), end);
        }
    }

    private void ended(RunningJob handle) {
        running.remove(handle.seq());
        slots.release();
        handle.markEnded();
        wakeWaiters(handle.seq());
        synchronized (ends) {
            ends.notifyAll();
        }
        Duration ranFor = Duration.between(handle.startedHere(), clock.instant());
        tell(listener -> listener.ended(handle.record(), handle.endState(), handle.endMessage(), ranFor));
        if (queueMayHoldWork.get() || handle.record().request().concurrency() != null) {
            requestDispatch();
        }
    }

    // ---- background: dispatch, heartbeat, retention --------------------------------------------

    private void requestDispatch() {
        if (!shuttingDown && dispatchRequested.compareAndSet(false, true)) {
            background.execute(() -> {
                dispatchRequested.set(false);
                dispatch();
            });
        }
    }

    /** Claims as many queued jobs as this node has free slots, and runs them. */
    private void dispatch() {
        synchronized (dispatchLock) {
            claimQueued();
        }
    }

    private void claimQueued() {
        if (shuttingDown) {
            return;
        }
        int permits = 0;
        while (slots.tryAcquire()) {
            permits++;
        }
        try {
            if (permits == 0) {
                return;
            }
            List<JobRecord> claimed = store.claim(nodeId, permits);
            queueMayHoldWork.set(claimed.size() == permits);
            for (JobRecord job : claimed) {
                permits--;
                tell(listener -> listener.claimed(job));
                start(job);
            }
            if (!claimed.isEmpty() && permits == 0) {
                requestDispatch();
            }
        } catch (StoreUnavailableException e) {
            LOG.log(Level.FINE, "Claiming queued jobs failed", e);
        } finally {
            slots.release(permits);
        }
    }

    /** One heartbeat: pending ends, the node's row, dead nodes, stop requests, queued jobs. */
    private void heartbeat() {
        try {
            pendingEnds.values().forEach(this::record);
            if (!store.heartbeat(nodeId)) {
                LOG.warning("Node " + nodeId + " had been declared dead by another node; stopping the "
                        + running.size() + " job(s) it still runs and joining again");
                running.values().forEach(job -> job.cancellation().cancel(CancelReason.NODE_LOST));
                store.registerNode(nodeId);
            }
            long timeoutMillis = storeSettings.nodeTimeoutSeconds() * 1000L;
            for (String silent : store.silentNodes(timeoutMillis)) {
                if (!silent.equals(nodeId)) {
                    report(store.resolveNode(silent, "Interrupted: node " + silent + " stopped responding.",
                            MAX_ATTEMPTS, true), silent);
                }
            }
            for (String vanished : store.vanishedNodes()) {
                if (!vanished.equals(nodeId)) {
                    report(store.resolveNode(vanished, stoppedWhileRunning(vanished), MAX_ATTEMPTS, false), vanished);
                }
            }
            for (long seq : store.stopsRequested(nodeId)) {
                RunningJob local = running.get(seq);
                if (local != null) {
                    local.cancellation().cancel(CancelReason.STOP_REQUESTED);
                }
            }
            if (!storeReachable) {
                LOG.info("The job store can be reached again");
            }
            storeReachable = true;
            dispatch();
        } catch (StoreUnavailableException e) {
            if (storeReachable) {
                LOG.warning("Node " + nodeId + " cannot reach the job store; it keeps trying every "
                        + storeSettings.heartbeatSeconds() + " s");
            }
            storeReachable = false;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "A heartbeat of node " + nodeId + " failed", e);
        }
    }

    /** The message of a job whose node is known to have ended (CONTRACT section 9). */
    private static String stoppedWhileRunning(String node) {
        return "Interrupted: node " + node + " stopped while the job was running.";
    }

    private static void report(int resolved, String node) {
        if (resolved > 0) {
            LOG.warning(resolved + " job(s) of node " + node + " were interrupted and resolved");
        }
    }

    private void purge() {
        try {
            int deleted = store.purge(settings.keepFinished(), settings.keepFinishedMinutes() * 60_000L,
                    settings.keepFinishedMinMinutes() * 60_000L, storeSettings.purgeBatchSize());
            if (deleted > 0) {
                LOG.fine(deleted + " finished job(s) purged");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Purging finished jobs failed; retrying in a minute", e);
        }
    }

    // ---- shutdown ------------------------------------------------------------------------------

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        shuttingDown = true;
        try {
            if (!awaitIdle(Duration.ofSeconds(settings.shutdownTimeoutSeconds()))) {
                LOG.warning(running.size() + " job(s) still running after " + settings.shutdownTimeoutSeconds()
                        + " s of shutdown; stopping them");
                running.values().forEach(job -> job.cancellation().cancel(CancelReason.SHUTDOWN));
                if (!awaitIdle(CANCEL_GRACE)) {
                    workers.shutdownNow();
                    awaitIdle(Duration.ofSeconds(5));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            background.shutdownNow();
            timer.shutdownNow();
            workers.shutdownNow();
            leaveStore();
            store.close();
        }
    }

    /** Records what is still pending and removes this node, resolving anything it still holds. */
    private void leaveStore() {
        try {
            pendingEnds.values().forEach(this::record);
            store.resolveNode(nodeId, SHUT_DOWN, MAX_ATTEMPTS, true);
            LOG.info("Node " + nodeId + " left the job store");
        } catch (StoreUnavailableException e) {
            LOG.warning("Node " + nodeId + " could not leave the job store; another node, or its next start,"
                    + " resolves its jobs");
        }
    }

    private boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (ends) {
            while (!running.isEmpty()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                ends.wait(Math.min(left, 100));
            }
        }
        return true;
    }

    /** Tells the listener; what it throws is logged, never passed on. */
    private void tell(Consumer<JobEvents> event) {
        try {
            event.accept(events);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "A job event listener failed", e);
        }
    }
}
