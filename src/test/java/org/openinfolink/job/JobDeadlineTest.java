package org.openinfolink.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openinfolink.config.Settings;
import org.openinfolink.engine.StepFailedException;

/**
 * A step that fails at or past the job's deadline, before the registry's timer has cancelled the
 * job: what a statement's own query timeout (derived from that deadline) does when it beats the
 * timer. The job times out all the same. A clock the test moves stands for the time passing.
 */
class JobDeadlineTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration TIMEOUT = Duration.ofHours(1);

    private final MovableClock clock = new MovableClock(Instant.parse("2026-11-29T20:11:29Z"));
    private final JobRegistry registry = new JobRegistry(
            new Settings.Jobs(1, 1, 5, 3600, 1000, 100, 0, 10, 60, 5), new InMemoryJobStore(), clock);

    @AfterEach
    void close() {
        registry.close();
    }

    private Job submit(Duration failAfter) {
        return registry.submit(new JobRequest("7", null, "test", "Main", "RunScenario", "a", TIMEOUT, execution -> {
            clock.advance(failAfter);
            throw new StepFailedException("Step 1 (slow) failed: canceling statement due to statement timeout",
                    new SQLException("canceling statement due to statement timeout", "57014"));
        }));
    }

    @Test
    void aStepFailingAtTheDeadlineEndsTheJobTimedOut() throws Exception {
        Job job = submit(TIMEOUT);

        assertTrue(job.awaitFinished(WAIT));
        assertEquals(JobState.COMPLETED_WITH_ERROR, job.state());
        assertEquals("Job timed out after 3600 seconds", job.snapshot().message());
    }

    @Test
    void aStepFailingBeforeTheDeadlineKeepsItsMessage() throws Exception {
        Job job = submit(TIMEOUT.minusSeconds(1));

        assertTrue(job.awaitFinished(WAIT));
        assertEquals(JobState.COMPLETED_WITH_ERROR, job.state());
        assertEquals("Step 1 (slow) failed: canceling statement due to statement timeout", job.snapshot().message());
    }

    /** A UTC clock that stands still until {@link #advance} moves it. */
    private static final class MovableClock extends Clock {
        private final AtomicReference<Instant> now;

        MovableClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void advance(Duration duration) {
            now.updateAndGet(instant -> instant.plus(duration));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
