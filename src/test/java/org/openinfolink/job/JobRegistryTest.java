package org.openinfolink.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openinfolink.api.ApiException;
import org.openinfolink.api.ErrorCode;
import org.openinfolink.config.Settings;
import org.openinfolink.engine.JobCancelledException;
import org.openinfolink.engine.StepFailedException;
import org.openinfolink.testsupport.Poll;

/** The registry on its own, with work that waits for the test or for its cancellation. */
class JobRegistryTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<JobRegistry> registries = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() {
        release.countDown();
        registries.forEach(JobRegistry::close);
    }

    private JobRegistry registry(int maxConcurrent, int maxQueued, int keepFinished) {
        Settings.Jobs jobs = new Settings.Jobs(maxConcurrent, maxQueued, 5, 3600, 1000, 100, 0, keepFinished, 60, 5);
        JobRegistry registry = new JobRegistry(jobs, new InMemoryJobStore(), Clock.systemUTC());
        registries.add(registry);
        return registry;
    }

    /** Work that runs until the test releases it or the job is cancelled. */
    private JobWork blocking() {
        return execution -> {
            try {
                while (!release.await(5, TimeUnit.MILLISECONDS)) {
                    execution.cancellation().throwIfCancelled();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    private static JobRequest request(String jobId, String fingerprint, Duration timeout, JobWork work) {
        return new JobRequest("7", jobId, "test", "Main", "RunScenario", fingerprint, timeout, work);
    }

    private static Job awaitState(Job job, JobState state) throws Exception {
        return Poll.until(WAIT, () -> job, j -> j.state() == state, job + " " + state);
    }

    @Test
    void runsAJobToCompletion() throws Exception {
        JobRegistry registry = registry(2, 2, 10);
        Job job = registry.submit(request(null, "a", WAIT, execution -> { }));
        assertTrue(job.awaitFinished(WAIT));
        Job.Snapshot snapshot = job.snapshot();
        assertEquals(JobState.COMPLETED, snapshot.state());
        assertNull(snapshot.message());
        assertTrue(registry.find("7", job.id()).isPresent());
    }

    @Test
    void aFailedStepEndsCompletedWithErrorWithItsMessage() throws Exception {
        JobRegistry registry = registry(1, 1, 10);
        Job job = registry.submit(request(null, "a", WAIT, execution -> {
            throw new StepFailedException("Step 1 (x) failed: boom", null);
        }));
        assertTrue(job.awaitFinished(WAIT));
        assertEquals(JobState.COMPLETED_WITH_ERROR, job.state());
        assertEquals("Step 1 (x) failed: boom", job.snapshot().message());
    }

    @Test
    void anUnexpectedFailureEndsWithAReferenceNotTheException() throws Exception {
        JobRegistry registry = registry(1, 1, 10);
        Job job = registry.submit(request(null, "a", WAIT, execution -> {
            throw new IllegalStateException("secret internals");
        }));
        assertTrue(job.awaitFinished(WAIT));
        assertTrue(job.snapshot().message().matches("Internal error \\(reference [0-9a-f]{8}\\)\\."),
                job.snapshot().message());
    }

    @Test
    void aRetryGetsTheSameJobAndADifferentRequestWithTheIdIsRefused() {
        JobRegistry registry = registry(1, 5, 10);
        Job first = registry.submit(request("order-1", "same", WAIT, blocking()));
        assertSame(first, registry.submit(request("order-1", "same", WAIT, blocking())));
        ApiException refused = assertThrows(ApiException.class,
                () -> registry.submit(request("order-1", "different", WAIT, blocking())));
        assertEquals(ErrorCode.DUPLICATE_JOB_ID, refused.code());
        assertNotSame(first, registry.submit(request("order-2", "same", WAIT, blocking())));
    }

    @Test
    void beyondTheQueueSubmitsAreRefusedWithServerBusy() throws Exception {
        JobRegistry registry = registry(1, 2, 10);
        Job running = registry.submit(request(null, "a", WAIT, blocking()));
        awaitState(running, JobState.RUNNING);
        registry.submit(request(null, "b", WAIT, blocking()));
        registry.submit(request(null, "c", WAIT, blocking()));
        ApiException busy = assertThrows(ApiException.class,
                () -> registry.submit(request("refused", "d", WAIT, blocking())));
        assertEquals(ErrorCode.SERVER_BUSY, busy.code());
        assertEquals("Server is busy: 2 jobs are queued. Retry later.", busy.getMessage());
        assertTrue(registry.find("7", "refused").isEmpty(), "a refused job is not kept");
    }

    @Test
    void aQueuedJobStopsAtOnceAndNeverRuns() throws Exception {
        JobRegistry registry = registry(1, 2, 10);
        awaitState(registry.submit(request(null, "a", WAIT, blocking())), JobState.RUNNING);
        CountDownLatch ran = new CountDownLatch(1);
        Job queued = registry.submit(request(null, "b", WAIT, execution -> ran.countDown()));

        assertEquals(StopOutcome.STOP_STARTED, registry.stop(queued));
        assertEquals(JobState.STOPPED, queued.state());
        assertEquals("Stopped by request", queued.snapshot().message());
        assertEquals(StopOutcome.ALREADY_COMPLETED, registry.stop(queued));
        assertEquals(0, registry.queuedCount(), "the stopped job left the queue");
        release.countDown();
        assertTrue(!ran.await(200, TimeUnit.MILLISECONDS), "a stopped queued job never runs");
    }

    @Test
    void aRunningJobIsCancelledAndEndsStopped() throws Exception {
        JobRegistry registry = registry(1, 1, 10);
        Job job = registry.submit(request(null, "a", WAIT, blocking()));
        awaitState(job, JobState.RUNNING);
        assertEquals(StopOutcome.STOP_STARTED, registry.stop(job));
        assertTrue(job.awaitFinished(WAIT));
        assertEquals(JobState.STOPPED, job.state());
        assertEquals(StopOutcome.ALREADY_COMPLETED, registry.stop(job));
    }

    @Test
    void aJobRunningPastItsTimeoutEndsCompletedWithError() throws Exception {
        JobRegistry registry = registry(1, 1, 10);
        Job job = registry.submit(request(null, "a", Duration.ofSeconds(1), blocking()));
        assertTrue(job.awaitFinished(WAIT));
        assertEquals(JobState.COMPLETED_WITH_ERROR, job.state());
        assertEquals("Job timed out after 1 second", job.snapshot().message());
    }

    @Test
    void finishedJobsBeyondTheKeptCountAreForgotten() throws Exception {
        JobRegistry registry = registry(1, 10, 2);
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Job job = registry.submit(request("job-" + i, "f" + i, WAIT, execution -> { }));
            assertTrue(job.awaitFinished(WAIT));
            jobs.add(job);
        }
        Poll.until(WAIT, () -> registry.find("7", "job-1").isEmpty(), gone -> gone, "job-1 forgotten");
        assertTrue(registry.find("7", "job-0").isEmpty());
        assertTrue(registry.find("7", "job-3").isPresent());
    }

    @Test
    void closingRefusesNewJobsAndStopsQueuedAndRunningOnes() throws Exception {
        JobRegistry registry = registry(1, 2, 10);
        Job running = registry.submit(request(null, "a", WAIT, blocking()));
        awaitState(running, JobState.RUNNING);
        Job queued = registry.submit(request(null, "b", WAIT, blocking()));

        registry.close();

        assertEquals(JobState.STOPPED, running.state());
        assertEquals("Stopped: the server is shutting down", running.snapshot().message());
        assertEquals(JobState.STOPPED, queued.state());
        ApiException refused = assertThrows(ApiException.class,
                () -> registry.submit(request(null, "c", WAIT, blocking())));
        assertEquals(ErrorCode.SHUTTING_DOWN, refused.code());
        registry.close();
    }

    @Test
    void workThatEndsNormallyAfterACancelStillEndsStopped() throws Exception {
        JobRegistry registry = registry(1, 1, 10);
        CountDownLatch cancelled = new CountDownLatch(1);
        Job job = registry.submit(request(null, "a", WAIT, execution -> {
            while (!execution.cancellation().isCancelled()) {
                Thread.onSpinWait();
            }
            cancelled.countDown();
        }));
        awaitState(job, JobState.RUNNING);
        registry.stop(job);
        assertTrue(job.awaitFinished(WAIT));
        assertEquals(JobState.STOPPED, job.state());
        assertEquals(0, cancelled.getCount());
    }

    @Test
    void cancellationExceptionsCarryTheirReason() {
        JobCancelledException e = new JobCancelledException(org.openinfolink.engine.CancelReason.TIMED_OUT);
        assertEquals(org.openinfolink.engine.CancelReason.TIMED_OUT, e.reason());
    }
}
