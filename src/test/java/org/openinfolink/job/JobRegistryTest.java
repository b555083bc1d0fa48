package org.openinfolink.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.apache.commons.dbcp2.BasicDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openinfolink.config.Settings;
import org.openinfolink.engine.CancelReason;
import org.openinfolink.engine.JobPlan;
import org.openinfolink.engine.JobWork;
import org.openinfolink.engine.ResultOutput;
import org.openinfolink.engine.StepFailedException;
import org.openinfolink.engine.StepTrace;
import org.openinfolink.scenario.Concurrency;
import org.openinfolink.store.JdbcJobStore;
import org.openinfolink.testdb.TestDatabase;
import org.openinfolink.testsupport.Poll;
import org.openinfolink.testsupport.TestStores;

/**
 * The registry over a real job store (H2 in memory), with work the test hands it by operation:
 * work that waits for the test or for its cancellation, fails, or counts its runs.
 */
class JobRegistryTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final BasicDataSource database = TestStores.migrated(TestDatabase.H2);
    private final CountingDataSource counted = new CountingDataSource(database);
    private final JdbcJobStore store = new JdbcJobStore(counted, 64);
    private final Map<String, JobWork> works = new ConcurrentHashMap<>();
    private final List<JobRegistry> registries = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() throws SQLException {
        release.countDown();
        registries.forEach(JobRegistry::close);
        database.close();
    }

    private JobRegistry registry(int maxConcurrent, int maxQueued, int keepFinished) {
        return registry("node-a", maxConcurrent, maxQueued, keepFinished, 5);
    }

    private JobRegistry registry(String nodeId, int maxConcurrent, int maxQueued, int keepFinished,
                                 int shutdownTimeoutSeconds) {
        return registry(nodeId, maxConcurrent, maxQueued, keepFinished, shutdownTimeoutSeconds, JobEvents.NONE);
    }

    private JobRegistry registry(String nodeId, int maxConcurrent, int maxQueued, int keepFinished,
                                 int shutdownTimeoutSeconds, JobEvents events) {
        return registry(nodeId, new Settings.Jobs(maxConcurrent, maxQueued, 5, 3600, 1000, 100, 0, keepFinished, 60,
                shutdownTimeoutSeconds, 0, maxQueued), events);
    }

    private JobRegistry registry(String nodeId, Settings.Jobs jobs, JobEvents events) {
        Settings.Store nodes = new Settings.Store(nodeId, 1, 3, 2, false);
        JobRegistry registry = new JobRegistry(jobs, nodes, store, job -> new JobPlan(job.request().scenarioName(),
                job.request().opName(), Duration.ofSeconds(job.request().timeoutSeconds()),
                job.request().rerunIfInterrupted(), works.get(job.request().operation())), events, nodeId,
                Clock.systemUTC());
        registry.start();
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

    /** A request whose operation is {@code operation}; the work it runs is {@code work}. */
    private JobRequest request(String jobId, String operation, int timeoutSeconds, JobWork work) {
        return request(jobId, operation, timeoutSeconds, false, work);
    }

    private JobRequest request(String jobId, String operation, int timeoutSeconds, boolean rerun, JobWork work) {
        works.put(operation, work);
        return new JobRequest("7", jobId, "test", "Main", "RunScenario", operation, timeoutSeconds, rerun);
    }

    private JobRequest clientRequest(String client, String jobId, JobWork work) {
        works.put(jobId, work);
        return new JobRequest("7", jobId, client, "Main", "RunScenario", jobId, 10, false);
    }

    /** A job of scenario Load under a limit; its operation is its id. */
    private JobRequest limitedRequest(String jobId, Concurrency limit, JobWork work) {
        works.put(jobId, work);
        return new JobRequest("7", jobId, "test", "Load", "RunScenario", jobId, 10, false, limit);
    }

    /** Work that runs until the latch opens or the job is cancelled. */
    private static JobWork awaiting(CountDownLatch mayEnd) {
        return execution -> {
            try {
                while (!mayEnd.await(5, TimeUnit.MILLISECONDS)) {
                    execution.cancellation().throwIfCancelled();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    private JobRecord awaitState(JobRegistry registry, JobRecord job, JobState state) throws Exception {
        return Poll.until(WAIT, () -> registry.find("7", job.jobId()).orElseThrow(), j -> j.state() == state,
                job + " " + state);
    }

    private JobRecord awaitFinished(JobRegistry registry, JobRecord job) throws Exception {
        JobRecord done = registry.await(job, WAIT);
        assertTrue(done.state().isFinished(), () -> done + " did not finish");
        return done;
    }

    @Test
    void runsAJobToCompletionAndKeepsItInTheStore() throws Exception {
        JobRegistry registry = registry(2, 2, 10);
        JobRecord job = registry.submit(request(null, "a", 10, execution -> { }));
        JobRecord done = awaitFinished(registry, job);
        assertEquals(JobState.COMPLETED, done.state());
        assertNull(done.message());
        assertEquals(1, done.attempt());
        assertTrue(done.startedAt() != null && done.finishedAt() != null && done.submittedAt() != null);
        assertEquals(done, store.find("7", job.jobId()).orElseThrow());
    }

    @Test
    void aSyncCallWaitsForTheNextSlotHereInsteadOfQueueingWhileTheQueueIsEmpty() throws Exception {
        JobRegistry registry = registry(1, 5, 10);
        Poll.until(WAIT, registry::mayHaveQueuedWork, may -> !may, "the first claim finds the queue empty");
        CountDownLatch firstMayEnd = new CountDownLatch(1);
        JobRecord first = registry.submit(request("first", "a", 10, awaiting(firstMayEnd)));
        assertEquals(JobState.RUNNING, first.state());

        long before = System.nanoTime();
        CompletableFuture<JobRecord> submitted = new CompletableFuture<>();
        Thread submitter = new Thread(() -> {
            try {
                submitted.complete(registry.submit(request("second", "b", 10, execution -> { }), true));
            } catch (RuntimeException e) {
                submitted.completeExceptionally(e);
            }
        });
        submitter.start();
        Poll.until(WAIT, () -> List.of(submitter.getStackTrace()), stack -> stack.stream().anyMatch(frame ->
                frame.getMethodName().equals("tryAcquire") && frame.getClassName().endsWith("Semaphore")),
                "the sync call waits for a slot");
        long releasedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
        firstMayEnd.countDown();
        JobRecord second = submitted.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);

        assertEquals(JobState.RUNNING, second.state(), "stored running, never queued");
        assertEquals("node-a", second.nodeId());
        assertTrue(waitedMillis >= releasedMillis && waitedMillis < JobRegistry.LOCAL_SLOT_WAIT.toMillis(),
                "waited for the first job's end: " + waitedMillis + " ms");
        assertEquals(JobState.COMPLETED, awaitFinished(registry, second).state());
    }

    @Test
    void aSyncCallIsQueuedWhenNoSlotFreesInTime() throws Exception {
        JobRegistry registry = registry(1, 5, 10);
        Poll.until(WAIT, registry::mayHaveQueuedWork, may -> !may, "the first claim finds the queue empty");
        JobRecord first = registry.submit(request("first", "a", 10, blocking()));

        long before = System.nanoTime();
        JobRecord second = registry.submit(request("second", "b", 10, execution -> { }), true);
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);

        assertEquals(JobState.QUEUED, second.state());
        assertTrue(waitedMillis >= JobRegistry.LOCAL_SLOT_WAIT.toMillis() - 50, waitedMillis + " ms");
        assertTrue(registry.mayHaveQueuedWork(), "a queued job: sync calls queue behind it from now on");
        release.countDown();
        assertEquals(JobState.COMPLETED, awaitFinished(registry, first).state());
        assertEquals(JobState.COMPLETED, awaitFinished(registry, second).state());
    }

    @Test
    void listenersHearOfEveryJobSubmittedStoppedAndEndedAndTheirFailuresHarmNothing() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        JobRegistry registry = registry("node-a", 1, 5, 10, 5, new JobEvents() {
            @Override
            public void submitted(JobRecord job) {
                heard.add("submitted " + job.jobId() + " " + job.state().stateName());
                throw new IllegalStateException("a broken listener");
            }

            @Override
            public void claimed(JobRecord job) {
                heard.add("claimed " + job.jobId());
            }

            @Override
            public void stopRequested(JobRecord job) {
                heard.add("stopRequested " + job.jobId());
            }

            @Override
            public void ended(JobRecord job, JobState state, String message, Duration ranFor) {
                heard.add("ended " + job.jobId() + " " + state.stateName() + " " + message);
            }
        });
        JobRecord first = registry.submit(request("first", "a", 10, blocking()));
        JobRecord second = registry.submit(request("second", "b", 10, execution -> { }));
        registry.stop("7", first.jobId());
        awaitFinished(registry, first);
        awaitFinished(registry, second);
        Poll.until(WAIT, () -> heard.size(), n -> n == 6, "every event heard: " + heard);
        assertEquals(List.of("submitted first running", "submitted second queued", "stopRequested first",
                "ended first stopped Stopped by request", "claimed second", "ended second completed null"), heard);
    }

    @Test
    void aFailedStepEndsCompletedWithErrorWithItsMessage() throws Exception {
        JobRegistry registry = registry(1, 1, 10);
        JobRecord job = registry.submit(request(null, "a", 10, execution -> {
            throw new StepFailedException("Step 1 (x) failed: boom", null);
        }));
        JobRecord done = awaitFinished(registry, job);
        assertEquals(JobState.COMPLETED_WITH_ERROR, done.state());
        assertEquals("Step 1 (x) failed: boom", done.message());
    }

    @Test
    void anUnexpectedFailureEndsWithAReferenceNotTheException() throws Exception {
        JobRegistry registry = registry(1, 1, 10);
        JobRecord job = registry.submit(request(null, "a", 10, execution -> {
            throw new IllegalStateException("secret internals");
        }));
        JobRecord done = awaitFinished(registry, job);
        assertTrue(done.message().matches("Internal error \\(reference [0-9a-f]{6}\\)\\."), done.message());
    }

    @Test
    void aRetryGetsTheSameJobAndADifferentRequestWithTheIdIsRefused() {
        JobRegistry registry = registry(1, 5, 10);
        JobRecord first = registry.submit(request("order-1", "same", 10, blocking()));
        assertEquals(first.seq(), registry.submit(request("order-1", "same", 10, blocking())).seq());
        JobRefusedException refused = assertThrows(JobRefusedException.class,
                () -> registry.submit(request("order-1", "different", 10, blocking())));
        assertEquals(JobRefusedException.Reason.DUPLICATE_JOB_ID, refused.reason());
        assertTrue(registry.submit(request("order-2", "same", 10, blocking())).seq() != first.seq());
    }

    @Test
    void beyondTheQueueSubmitsAreRefusedWithServerBusy() throws Exception {
        JobRegistry registry = registry(1, 2, 10);
        JobRecord running = registry.submit(request(null, "a", 10, blocking()));
        assertEquals(JobState.RUNNING, running.state(), "a node with a free slot runs the job at once");
        registry.submit(request(null, "b", 10, blocking()));
        registry.submit(request(null, "c", 10, blocking()));
        JobRefusedException busy = assertThrows(JobRefusedException.class,
                () -> registry.submit(request("refused", "d", 10, blocking())));
        assertEquals(JobRefusedException.Reason.QUEUE_FULL, busy.reason());
        assertEquals("Server is busy: 2 jobs are queued. Retry later.", busy.getMessage());
        assertTrue(registry.find("7", "refused").isEmpty(), "a refused job is not kept");
        assertEquals(2, registry.queuedCount());
    }

    @Test
    void aClientBeyondItsShareOfTheQueueIsRefusedWhileOthersAreServed() throws Exception {
        JobRegistry registry = registry("node-a", new Settings.Jobs(1, 8, 5, 3600, 1000, 100, 0, 10, 60, 5, 0, 2),
                JobEvents.NONE);
        registry.submit(request(null, "run", 10, blocking()));
        registry.submit(clientRequest("flood", "f1", blocking()));
        registry.submit(clientRequest("flood", "f2", blocking()));

        JobRefusedException refused = assertThrows(JobRefusedException.class,
                () -> registry.submit(clientRequest("flood", "f3", blocking())));
        assertEquals(JobRefusedException.Reason.QUEUE_FULL, refused.reason());
        assertEquals("Client 'flood' has 2 jobs queued, its limit. Retry later.", refused.getMessage());
        assertTrue(registry.find("7", "f3").isEmpty());

        JobRecord other = registry.submit(clientRequest("crm-sync", "c1", blocking()));
        assertEquals(JobState.QUEUED, other.state(), "another client's job is accepted");
        assertEquals(3, registry.queuedCount());
    }

    @Test
    void aScenarioAtItsLimitQueuesTheNextJobEvenWithAFreeSlotHere() throws Exception {
        JobRegistry registry = registry(3, 5, 10);
        Concurrency one = new Concurrency(1, Concurrency.WhenBusy.QUEUE);
        CountDownLatch firstMayEnd = new CountDownLatch(1);
        JobRecord first = registry.submit(limitedRequest("load-1", one, awaiting(firstMayEnd)));
        assertEquals(JobState.RUNNING, first.state());
        JobRecord second = registry.submit(limitedRequest("load-2", one, execution -> { }));
        assertEquals(JobState.QUEUED, second.state(), "Load runs one job at a time");
        JobRecord unlimited = registry.submit(request("other", "other", 10, execution -> { }));
        assertEquals(JobState.COMPLETED, awaitFinished(registry, unlimited).state(), "other scenarios run");
        assertEquals(JobState.QUEUED, registry.find("7", "load-2").orElseThrow().state());

        firstMayEnd.countDown();
        awaitFinished(registry, first);
        JobRecord done = awaitFinished(registry, second);
        assertEquals(JobState.COMPLETED, done.state(), "the waiting job runs once the slot is free");
        assertTrue(!done.startedAt().isBefore(registry.find("7", "load-1").orElseThrow().finishedAt()));
    }

    @Test
    void aScenarioThatRejectsRefusesWithScenarioBusyUntilItsJobEnds() throws Exception {
        JobRegistry registry = registry(3, 5, 10);
        Concurrency one = new Concurrency(1, Concurrency.WhenBusy.REJECT);
        CountDownLatch firstMayEnd = new CountDownLatch(1);
        JobRecord first = registry.submit(limitedRequest("load-1", one, awaiting(firstMayEnd)));

        JobRefusedException busy = assertThrows(JobRefusedException.class,
                () -> registry.submit(limitedRequest("load-2", one, execution -> { })));
        assertEquals(JobRefusedException.Reason.SCENARIO_BUSY, busy.reason());
        assertEquals("Scenario 'Load' already runs 1 job, its limit.", busy.getMessage());
        assertTrue(registry.find("7", "load-2").isEmpty(), "a refused job is not kept");
        assertEquals(first.seq(), registry.submit(limitedRequest("load-1", one, awaiting(firstMayEnd))).seq(),
                "a retry of the running job gets it, not a refusal");

        firstMayEnd.countDown();
        awaitFinished(registry, first);
        JobRecord later = registry.submit(limitedRequest("load-3", one, execution -> { }));
        assertEquals(JobState.COMPLETED, awaitFinished(registry, later).state());
    }

    @Test
    void queuedJobsRunInOrderAsSlotsFree() throws Exception {
        JobRegistry registry = registry(1, 5, 10);
        List<String> order = new ArrayList<>();
        JobRecord first = registry.submit(request("q0", "q0", 10, blocking()));
        for (int i = 1; i <= 3; i++) {
            String id = "q" + i;
            registry.submit(request(id, id, 10, execution -> {
                synchronized (order) {
                    order.add(id);
                }
            }));
        }
        release.countDown();
        awaitFinished(registry, first);
        for (int i = 1; i <= 3; i++) {
            awaitFinished(registry, registry.find("7", "q" + i).orElseThrow());
        }
        assertEquals(List.of("q1", "q2", "q3"), order);
    }

    @Test
    void aQueuedJobStopsAtOnceAndNeverRuns() throws Exception {
        JobRegistry registry = registry(1, 2, 10);
        registry.submit(request(null, "a", 10, blocking()));
        CountDownLatch ran = new CountDownLatch(1);
        JobRecord queued = registry.submit(request(null, "b", 10, execution -> ran.countDown()));
        assertEquals(JobState.QUEUED, queued.state());

        assertEquals(StopOutcome.STOP_STARTED, registry.stop("7", queued.jobId()).orElseThrow());
        JobRecord stopped = registry.find("7", queued.jobId()).orElseThrow();
        assertEquals(JobState.STOPPED, stopped.state());
        assertEquals("Stopped by request", stopped.message());
        assertEquals(StopOutcome.ALREADY_COMPLETED, registry.stop("7", queued.jobId()).orElseThrow());
        assertEquals(0, registry.queuedCount(), "the stopped job left the queue");
        release.countDown();
        assertFalse(ran.await(300, TimeUnit.MILLISECONDS), "a stopped queued job never runs");
        assertTrue(registry.stop("7", "no-such-job").isEmpty());
    }

    @Test
    void aRunningJobIsCancelledAndEndsStopped() throws Exception {
        JobRegistry registry = registry(1, 1, 10);
        JobRecord job = registry.submit(request(null, "a", 10, blocking()));
        assertEquals(StopOutcome.STOP_STARTED, registry.stop("7", job.jobId()).orElseThrow());
        JobRecord done = awaitFinished(registry, job);
        assertEquals(JobState.STOPPED, done.state());
        assertEquals("Stopped by request", done.message());
        assertEquals(StopOutcome.ALREADY_COMPLETED, registry.stop("7", job.jobId()).orElseThrow());
    }

    @Test
    void aStopRecordedInTheStoreByAnotherNodeReachesTheRunningJob() throws Exception {
        JobRegistry registry = registry(1, 1, 10);
        JobRecord job = registry.submit(request(null, "a", 10, blocking()));
        assertEquals(StopOutcome.STOP_STARTED, store.requestStop("7", job.jobId()).orElseThrow().outcome(),
                "the stop another node would write");
        // unless the heartbeat's stop poll already ended the job in between
        StopOutcome second = registry.stop("7", job.jobId()).orElseThrow();
        assertTrue(second == StopOutcome.ALREADY_BEING_STOPPED || second == StopOutcome.ALREADY_COMPLETED,
                second.toString());
        JobRecord done = awaitFinished(registry, job);
        assertEquals(JobState.STOPPED, done.state(), "seen within a heartbeat");
    }

    @Test
    void aJobRunningPastItsTimeoutEndsCompletedWithError() throws Exception {
        JobRegistry registry = registry(1, 1, 10);
        JobRecord job = registry.submit(request(null, "a", 1, blocking()));
        JobRecord done = awaitFinished(registry, job);
        assertEquals(JobState.COMPLETED_WITH_ERROR, done.state());
        assertEquals("Job timed out after 1 second", done.message());
    }

    @Test
    void finishedJobsBeyondTheKeptCountArePurged() throws Exception {
        // the registry's own retention (a purge at its start, then every minute) keeps all four, so
        // only the purge below deletes: with 2, a start-up purge late enough took one of them first
        JobRegistry registry = registry(1, 10, 10);
        for (int i = 0; i < 4; i++) {
            awaitFinished(registry, registry.submit(request("job-" + i, "f" + i, 10, execution -> { })));
        }
        int purged = store.purge(2, Long.MAX_VALUE / 4, 0, 1);
        assertEquals(2, purged);
        assertTrue(registry.find("7", "job-0").isEmpty());
        assertTrue(registry.find("7", "job-1").isEmpty());
        assertTrue(registry.find("7", "job-3").isPresent());
    }

    @Test
    void closingWaitsForRunningJobsThenStopsTheRestAndLeavesQueuedOnesQueued() throws Exception {
        JobRegistry registry = registry("node-a", 1, 2, 10, 1);
        JobRecord running = registry.submit(request(null, "a", 10, blocking()));
        JobRecord queued = registry.submit(request("later", "b", 10, execution -> { }));

        registry.close();

        JobRecord interrupted = store.find("7", running.jobId()).orElseThrow();
        assertEquals(JobState.STOPPED, interrupted.state());
        assertEquals("Interrupted: server shut down.", interrupted.message());
        assertEquals(JobState.QUEUED, store.find("7", queued.jobId()).orElseThrow().state());
        JobRefusedException refused = assertThrows(JobRefusedException.class,
                () -> registry.submit(request(null, "c", 10, blocking())));
        assertEquals(JobRefusedException.Reason.SHUTTING_DOWN, refused.reason());
        registry.close();

        JobRegistry next = registry("node-b", 1, 2, 10, 1);
        assertEquals(JobState.COMPLETED, awaitFinished(next, queued).state(), "the next start runs it");
    }

    @Test
    void aJobThatEndsWithinTheShutdownTimeoutCompletes() throws Exception {
        JobRegistry registry = registry("node-a", 1, 2, 10, 5);
        JobRecord job = registry.submit(request(null, "a", 10, execution -> {
            try {
                Poll.until(WAIT, registry::isShuttingDown, stopping -> stopping, "the shutdown begins");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }));
        registry.close();
        assertEquals(JobState.COMPLETED, store.find("7", job.jobId()).orElseThrow().state());
    }

    @Test
    void aJobThatMayBeRerunIsQueuedAgainAtShutdownAndCountsItsAttempts() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        JobRegistry registry = registry("node-a", 1, 2, 10, 0);
        JobRecord job = registry.submit(request("rerun", "r", 10, true, execution -> {
            if (runs.incrementAndGet() == 1) {
                blocking().run(execution);
            }
        }));
        Poll.until(WAIT, runs::get, n -> n == 1, "first run started");
        registry.close();
        assertEquals(JobState.QUEUED, store.find("7", job.jobId()).orElseThrow().state());

        JobRegistry next = registry("node-b", 1, 2, 10, 5);
        JobRecord done = awaitFinished(next, job);
        assertEquals(JobState.COMPLETED, done.state());
        assertEquals(2, done.attempt());
        assertEquals(2, runs.get());
    }

    @Test
    void jobsOfASilentNodeAreResolvedWithinTheTimeoutAndAHeartbeat() throws Exception {
        JobRegistry registry = registry(1, 5, 10);
        store.registerNode("ghost");
        JobRecord orphan = store.insert(request("orphan", "o", 10, blocking()), "ghost").job();
        JobRecord rerun = store.insert(request("rerun", "r", 10, true, execution -> { }), "ghost").job();
        ageHeartbeat("ghost", 60_000);

        JobRecord stopped = Poll.until(WAIT, () -> store.find("7", orphan.jobId()).orElseThrow(),
                j -> j.state().isFinished(), "the orphan resolved");
        assertEquals(JobState.STOPPED, stopped.state());
        assertEquals("Interrupted: node ghost stopped responding.", stopped.message());
        JobRecord rerunDone = awaitFinished(registry, rerun);
        assertEquals(JobState.COMPLETED, rerunDone.state(), "queued again and run by the live node");
        assertEquals(2, rerunDone.attempt());
        assertFalse(store.silentNodes(0).contains("ghost"), "the dead node's row is gone");
    }

    @Test
    void aRestartOnASingleNodeStoreEndsWhatTheEarlierRunLeftRunning() throws Exception {
        store.registerNode("crashed-1");
        JobRecord left = store.insert(request("left", "l", 10, blocking()), "crashed-1").job();

        registry("restarted-2", 1, 5, 10, 5);

        JobRecord stopped = store.find("7", left.jobId()).orElseThrow();
        assertEquals(JobState.STOPPED, stopped.state(), "resolved at start-up, before any heartbeat timeout");
        assertEquals("Interrupted: node crashed-1 stopped while the job was running.", stopped.message());
    }

    @Test
    void aJobResolvedByAnotherNodeStopsAtItsNextStepWithoutWaitingForTheHeartbeat() throws Exception {
        JobRegistry registry = registry(1, 5, 10);
        CountDownLatch resolved = new CountDownLatch(1);
        CompletableFuture<CancelReason> afterTheRefusedStep = new CompletableFuture<>();
        JobRecord job = registry.submit(request(null, "a", 10, execution -> {
            execution.listener().stepFinished(finishedStep("1"));
            try {
                resolved.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            execution.listener().stepFinished(finishedStep("2"));
            afterTheRefusedStep.complete(execution.cancellation().reason());
        }));
        Poll.until(WAIT, () -> store.steps(job.seq()), steps -> steps.size() == 1, "the first step recorded");
        // the node's row stays, so its heartbeat finds nothing wrong: only the refused write can stop the job
        store.resolveNode("node-a", "Interrupted: node node-a stopped responding.", JobRegistry.MAX_ATTEMPTS, false);
        resolved.countDown();

        assertEquals(CancelReason.NODE_LOST, afterTheRefusedStep.get(10, TimeUnit.SECONDS),
                "the job is stopped as soon as the store refuses its step");
        Poll.until(WAIT, registry::runningCount, n -> n == 0, "the job given up on node-a");
        JobRecord ended = store.find("7", job.jobId()).orElseThrow();
        assertEquals(JobState.STOPPED, ended.state());
        assertEquals("Interrupted: node node-a stopped responding.", ended.message());
        assertEquals(List.of(finishedStep("1")), store.steps(ended.seq()), "only the step written before the resolve");
    }

    private static StepTrace finishedStep(String label) {
        Instant at = Instant.ofEpochMilli(1_767_225_600_000L);
        return new StepTrace(label, "step " + label, "Transform", "completed", at, at, 0L, List.of(), null);
    }

    @Test
    void aNodeDeclaredDeadStopsWhatItStillRunsAndWritesNothingMoreOfIt() throws Exception {
        JobRegistry registry = registry(1, 5, 10);
        JobWork blocking = blocking();
        // as the engine does: a cancelled step is reported before the job ends
        JobRecord job = registry.submit(request(null, "a", 10, execution -> {
            execution.listener().stepStarted(1, 1, "wait");
            try {
                blocking.run(execution);
            } finally {
                Instant now = Instant.now();
                execution.listener().stepFinished(new StepTrace("1", "wait", "Transform", "stopped", now, now, null,
                        List.of(), null));
            }
        }));
        awaitState(registry, job, JobState.RUNNING);
        store.resolveNode("node-a", "Interrupted: node node-a stopped responding.", JobRegistry.MAX_ATTEMPTS, true);

        Poll.until(WAIT, registry::runningCount, n -> n == 0, "the job given up on node-a");
        JobRecord resolved = store.find("7", job.jobId()).orElseThrow();
        assertEquals(JobState.STOPPED, resolved.state());
        assertEquals("Interrupted: node node-a stopped responding.", resolved.message());
        assertEquals(List.of(), store.steps(resolved.seq()), "the node wrote into a job another node resolved");
    }

    @Test
    void aJobThatEndsQuicklyWritesItsTraceAndResultsWithItsEndInOneTransaction() throws Exception {
        JobRegistry registry = registry(2, 2, 10);
        byte[] records = "[{\"x\":1}]".getBytes(StandardCharsets.UTF_8);
        JobRecord job = registry.submit(request("quick", "quick", 10, execution -> {
            for (int step = 1; step <= 2; step++) {
                execution.listener().stepStarted(step, 2, "step " + step);
                if (step == 2) {
                    ResultOutput output = execution.listener().newResult("rows", List.of());
                    write(output, records);
                    complete(output, 1);
                }
                Instant now = Instant.now();
                execution.listener().stepFinished(new StepTrace(Integer.toString(step), "step " + step, "Transform",
                        "completed", now, now, 1L, List.of(), null));
            }
        }));
        JobRecord done = awaitFinished(registry, job);

        assertEquals(JobState.COMPLETED, done.state());
        assertEquals(List.of("step 1", "step 2"), store.steps(done.seq()).stream().map(StepTrace::title).toList());
        List<ResultInfo> results = store.results(done.seq());
        assertEquals(1, results.size());
        assertEquals("rows", results.get(0).name());
        try (InputStream in = store.openRecords(done.seq(), 1)) {
            assertArrayEquals(records, in.readAllBytes());
        }
        assertEquals(1, counted.borrowedBy("infolink-job"), "the job thread's only round trip is its end");
    }

    @Test
    void aJobThatRunsLongerWritesItsProgressAndTraceAsItGoes() throws Exception {
        JobRegistry registry = registry(2, 2, 10);
        JobWork blocking = blocking();
        JobRecord job = registry.submit(request("long", "long", 10, execution -> {
            execution.listener().stepStarted(1, 2, "first");
            Instant now = Instant.now();
            execution.listener().stepFinished(new StepTrace("1", "first", "Transform", "completed", now, now, 1L,
                    List.of(), null));
            execution.listener().stepStarted(2, 2, "second");
            blocking.run(execution);
        }));

        JobRecord running = Poll.until(WAIT, () -> store.find("7", job.jobId()).orElseThrow(),
                j -> j.progress() != null && j.progress().title().equals("second"), "progress of step 2 in the store");
        assertEquals(JobState.RUNNING, running.state());
        assertEquals(List.of("first"), store.steps(running.seq()).stream().map(StepTrace::title).toList());
        release.countDown();
        assertEquals(JobState.COMPLETED, awaitFinished(registry, job).state());
        assertEquals(1, store.steps(running.seq()).size(), "each step is written once");
    }

    @Test
    void aResultLargerThanWhatIsKeptBackIsWrittenToTheStoreAsItIsRead() throws Exception {
        JobRegistry registry = registry(2, 2, 10);
        byte[] records = ("[\"" + "x".repeat(100_000) + "\"]").getBytes(StandardCharsets.UTF_8);
        CountDownLatch written = new CountDownLatch(1);
        JobRecord job = registry.submit(request("large", "large", 10, execution -> {
            ResultOutput output = execution.listener().newResult("big", List.of());
            write(output, records);
            written.countDown();
            blocking().run(execution);
            complete(output, 1);
        }));
        assertTrue(written.await(WAIT.toSeconds(), TimeUnit.SECONDS));

        Poll.until(WAIT, () -> chunkCount(job.seq()), n -> n > 1000, "chunks of the running job's result in the store");
        release.countDown();
        JobRecord done = awaitFinished(registry, job);
        try (InputStream in = store.openRecords(done.seq(), 1)) {
            assertArrayEquals(records, in.readAllBytes());
        }
    }

    private static void write(ResultOutput output, byte[] records) {
        try {
            output.records().write(records);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void complete(ResultOutput output, long rows) {
        try {
            output.complete(rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long chunkCount(long seq) throws SQLException {
        try (Connection connection = database.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT COUNT(*) FROM il_result_chunk WHERE job_seq = ?")) {
            select.setLong(1, seq);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** A DataSource that counts the connections each thread borrows, by thread name. */
    private static final class CountingDataSource implements DataSource {
        private final DataSource target;
        private final Map<String, AtomicInteger> byThread = new ConcurrentHashMap<>();

        CountingDataSource(DataSource target) {
            this.target = target;
        }

        /** Connections borrowed by threads whose name is {@code prefix-<n>}. */
        int borrowedBy(String prefix) {
            return byThread.entrySet().stream().filter(entry -> entry.getKey().matches(prefix + "-\\d+"))
                    .mapToInt(entry -> entry.getValue().get()).sum();
        }

        @Override
        public Connection getConnection() throws SQLException {
            byThread.computeIfAbsent(Thread.currentThread().getName(),
                    name -> new AtomicInteger()).incrementAndGet();
            return target.getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            throw new SQLException("not used");
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return target.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            target.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            target.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return target.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return target.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            return target.unwrap(type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type) throws SQLException {
            return target.isWrapperFor(type);
        }
    }

    private void ageHeartbeat(String nodeId, long millis) throws SQLException {
        try (Connection connection = database.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE il_node SET heartbeat_at = heartbeat_at - ? WHERE node_id = ?")) {
            update.setLong(1, millis);
            update.setString(2, nodeId);
            assertEquals(1, update.executeUpdate());
        }
    }
}
