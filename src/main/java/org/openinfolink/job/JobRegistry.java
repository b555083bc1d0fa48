package org.openinfolink.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openinfolink.api.ApiException;
import org.openinfolink.api.ErrorCode;
import org.openinfolink.config.Settings;
import org.openinfolink.engine.CancelReason;
import org.openinfolink.engine.JobCancelledException;
import org.openinfolink.engine.JobExecution;
import org.openinfolink.engine.StepFailedException;

/**
 * Accepts, runs, stops and forgets jobs.
 *
 * <p>At most {@code jobs.maxConcurrent} jobs run at once on a bounded pool of named threads; up to
 * {@code jobs.maxQueued} more wait, and beyond that a submit is refused with SERVER_BUSY. Each
 * running job has a timer that cancels it at its timeout. Finished jobs are kept for polling up to
 * {@code jobs.keepFinished} jobs and {@code jobs.keepFinishedMinutes}.
 *
 * <p>Thread safe. {@link #close()} shuts down in order: refuse new jobs (SHUTTING_DOWN), stop the
 * queued ones, cancel the running ones, wait for them up to {@code jobs.shutdownTimeoutSeconds},
 * then interrupt what is left. It is idempotent.
 */
public final class JobRegistry implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(JobRegistry.class.getName());
    private static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);

    private final Settings.Jobs settings;
    private final JobStore store;
    private final Clock clock;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService timer;
    private final AtomicLong sequence = new AtomicLong();
    private volatile boolean shuttingDown;

    public JobRegistry(Settings.Jobs settings, JobStore store, Clock clock) {
        this.settings = settings;
        this.store = store;
        this.clock = clock;
        BlockingQueue<Runnable> queue = settings.maxQueued() > 0
                ? new LinkedBlockingQueue<>(settings.maxQueued()) : new SynchronousQueue<>();
        this.workers = new ThreadPoolExecutor(settings.maxConcurrent(), settings.maxConcurrent(), 0,
                TimeUnit.MILLISECONDS, queue, new NamedThreadFactory("infolink-job"));
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1,
                new NamedThreadFactory("infolink-job-timer"));
        scheduler.setRemoveOnCancelPolicy(true);
        this.timer = scheduler;
        timer.scheduleWithFixedDelay(this::forgetOldJobs, SWEEP_INTERVAL.toSeconds(), SWEEP_INTERVAL.toSeconds(),
                TimeUnit.SECONDS);
    }

    /**
     * Starts a job, or returns the existing job when the request is a retry of one (same app, job
     * id and fingerprint).
     *
     * @throws ApiException DUPLICATE_JOB_ID, SERVER_BUSY or SHUTTING_DOWN
     */
    public Job submit(JobRequest request) {
        refuseIfShuttingDown();
        String jobId = request.jobId() != null ? request.jobId() : UUID.randomUUID().toString();
        Job job = new Job(jobId, sequence.incrementAndGet(), request, clock.instant());
        Job existing = store.putIfAbsent(job);
        if (existing != null) {
            if (existing.request().fingerprint().equals(request.fingerprint())) {
                return existing;
            }
            throw new ApiException(ErrorCode.DUPLICATE_JOB_ID, "Job id '" + jobId
                    + "' is already used by a different request in app '" + request.appId() + "'.");
        }
        try {
            workers.execute(new JobTask(job));
        } catch (RejectedExecutionException e) {
            store.remove(job);
            refuseIfShuttingDown();
            throw new ApiException(ErrorCode.SERVER_BUSY, "Server is busy: " + settings.maxQueued()
                    + " jobs are queued. Retry later.");
        }
        LOG.info(() -> "Job " + jobId + " of app " + request.appId() + " (" + describe(request) + ") queued for "
                + request.clientName());
        return job;
    }

    public Optional<Job> find(String appId, String jobId) {
        return store.find(appId, jobId);
    }

    /** An app's jobs, newest first; see {@link JobStore#list}. */
    public List<Job> list(String appId, Predicate<Job> filter, Long beforeSequence, int limit) {
        return store.list(appId, filter, beforeSequence, limit);
    }

    /** Stops a job: a queued one at once, a running one by cancelling its statement. */
    public StopOutcome stop(Job job) {
        StopOutcome outcome = job.requestStop(clock.instant());
        if (outcome == StopOutcome.STOP_STARTED) {
            if (job.state() == JobState.STOPPED) {
                workers.remove(taskOf(job));
                jobEnded(job);
            } else {
                job.cancellation().cancel(CancelReason.STOP_REQUESTED);
            }
            LOG.info(() -> "Stop of job " + job.id() + " of app " + job.appId() + " requested");
        }
        return outcome;
    }

    /** Jobs waiting in the queue now. */
    public int queuedCount() {
        return workers.getQueue().size();
    }

    public boolean isShuttingDown() {
        return shuttingDown;
    }

    private void refuseIfShuttingDown() {
        if (shuttingDown) {
            throw new ApiException(ErrorCode.SHUTTING_DOWN, "The server is shutting down. Retry on another server"
                    + " or later.");
        }
    }

    private Runnable taskOf(Job job) {
        for (Runnable queued : workers.getQueue()) {
            if (queued instanceof JobTask task && task.job == job) {
                return task;
            }
        }
        return () -> { };
    }

    private void run(Job job) {
        Instant started = clock.instant();
        if (!job.start(started)) {
            return;
        }
        JobRequest request = job.request();
        Duration timeout = request.timeout();
        ScheduledFuture<?> timeoutTimer = timer.schedule(() -> job.cancellation().cancel(CancelReason.TIMED_OUT),
                timeout.toMillis(), TimeUnit.MILLISECONDS);
        JobExecution execution = new JobExecution(job.id(), request.appId(), request.scenarioName(), started,
                started.plus(timeout), job.cancellation(), job);
        try {
            request.work().run(execution);
            if (job.cancellation().isCancelled()) {
                throw new JobCancelledException(job.cancellation().reason());
            }
            job.finish(JobState.COMPLETED, null, clock.instant());
        } catch (JobCancelledException e) {
            endCancelled(job, e.reason(), timeout);
        } catch (StepFailedException e) {
            if (!clock.instant().isBefore(execution.deadline())) {
                // A statement's own timeout never ends before the job's deadline, but it may beat the
                // timer: a step failing at or past the deadline is the job timing out.
                job.cancellation().cancel(CancelReason.TIMED_OUT);
            }
            if (job.cancellation().isCancelled()) {
                endCancelled(job, job.cancellation().reason(), timeout);
            } else {
                job.finish(JobState.COMPLETED_WITH_ERROR, e.getMessage(), clock.instant());
            }
        } catch (RuntimeException | Error e) {
            String reference = UUID.randomUUID().toString().substring(0, 8);
            LOG.log(Level.SEVERE, "Job " + job.id() + " of app " + job.appId() + " failed unexpectedly (reference "
                    + reference + ")", e);
            job.finish(JobState.COMPLETED_WITH_ERROR, "Internal error (reference " + reference + ").",
                    clock.instant());
        } finally {
            timeoutTimer.cancel(false);
            jobEnded(job);
        }
    }

    private void endCancelled(Job job, CancelReason reason, Duration timeout) {
        switch (reason) {
            case STOP_REQUESTED -> job.finish(JobState.STOPPED, "Stopped by request", clock.instant());
            case SHUTDOWN -> job.finish(JobState.STOPPED, "Stopped: the server is shutting down", clock.instant());
            case TIMED_OUT -> job.finish(JobState.COMPLETED_WITH_ERROR, "Job timed out after "
                    + timeout.toSeconds() + (timeout.toSeconds() == 1 ? " second" : " seconds"), clock.instant());
        }
    }

    private void jobEnded(Job job) {
        Job.Snapshot snapshot = job.snapshot();
        LOG.info(() -> "Job " + job.id() + " of app " + job.appId() + " ended " + snapshot.state().stateName()
                + (snapshot.message() == null ? "" : ": " + snapshot.message()));
        store.finished(job, settings.keepFinished()).forEach(Job::discard);
    }

    private void forgetOldJobs() {
        try {
            Instant cutoff = clock.instant().minus(Duration.ofMinutes(settings.keepFinishedMinutes()));
            store.forgetFinishedBefore(cutoff).forEach(Job::discard);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Forgetting old jobs failed", e);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (shuttingDown) {
                return;
            }
            shuttingDown = true;
        }
        List<Runnable> queued = new ArrayList<>();
        workers.getQueue().drainTo(queued);
        for (Runnable task : queued) {
            Job job = ((JobTask) task).job;
            job.finish(JobState.STOPPED, "Stopped: the server is shutting down", clock.instant());
        }
        for (Job job : store.unfinished()) {
            job.cancellation().cancel(CancelReason.SHUTDOWN);
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(settings.shutdownTimeoutSeconds(), TimeUnit.SECONDS)) {
                LOG.warning("Jobs still running after " + settings.shutdownTimeoutSeconds()
                        + " s of shutdown; interrupting them.");
                workers.shutdownNow();
                workers.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            // Spooled results stay: a caller may still be streaming one, and the spool folder is
            // emptied when the server starts again.
            timer.shutdownNow();
        }
    }

    private static String describe(JobRequest request) {
        return request.scenarioName() != null ? "scenario " + request.scenarioName() : request.opName();
    }

    /** The unit the worker pool runs; kept so a queued job can be taken off the queue. */
    private final class JobTask implements Runnable {
        private final Job job;

        JobTask(Job job) {
            this.job = job;
        }

        @Override
        public void run() {
            JobRegistry.this.run(job);
        }
    }
}
