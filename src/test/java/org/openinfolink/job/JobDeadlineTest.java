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
import org.apache.commons.dbcp2.BasicDataSource;
import org.openinfolink.config.Settings;
import org.openinfolink.engine.JobPlan;
import org.openinfolink.engine.StepFailedException;
import org.openinfolink.store.JdbcJobStore;
import org.openinfolink.testdb.TestDatabase;
import org.openinfolink.testsupport.TestStores;

/**
 * A step that fails at or past the job's deadline, before the registry's timer has cancelled the
 * job: what a statement's own query timeout (derived from that deadline) does when it beats the
 * timer. The job times out all the same. A clock the test moves stands for the time passing.
 */
class JobDeadlineTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration TIMEOUT = Duration.ofHours(1);

    private final MovableClock clock = new MovableClock(Instant.now());
    private final BasicDataSource database = TestStores.migrated(TestDatabase.H2);
    private Duration failAfter;
    private final JobRegistry registry = new JobRegistry(
            new Settings.Jobs(1, 1, 5, 3600, 1000, 100, 0, 10, 60, 5, 0), new Settings.Store("deadline", 1, 3, 10, false),
            new JdbcJobStore(database, 1024), job -> new JobPlan("Main", "RunScenario", TIMEOUT, false, execution -> {
                clock.advance(failAfter);
                throw new StepFailedException("Step 1 (slow) failed: canceling statement due to statement timeout",
                        new SQLException("canceling statement due to statement timeout", "57014"));
            }), JobEvents.NONE, "deadline", clock);

    @AfterEach
    void close() throws SQLException {
        registry.close();
        database.close();
    }

    private JobRecord run(Duration failingAfter) throws InterruptedException {
        failAfter = failingAfter;
        registry.start();
        JobRecord job = registry.submit(new JobRequest("7", null, "test", "Main", "RunScenario", "a",
                (int) TIMEOUT.toSeconds(), false));
        JobRecord done = registry.await(job, WAIT);
        assertTrue(done.state().isFinished(), done::toString);
        return done;
    }

    @Test
    void aStepFailingAtTheDeadlineEndsTheJobTimedOut() throws Exception {
        JobRecord job = run(TIMEOUT);

        assertEquals(JobState.COMPLETED_WITH_ERROR, job.state());
        assertEquals("Job timed out after 3600 seconds", job.message());
    }

    @Test
    void aStepFailingBeforeTheDeadlineKeepsItsMessage() throws Exception {
        JobRecord job = run(TIMEOUT.minusSeconds(1));

        assertEquals(JobState.COMPLETED_WITH_ERROR, job.state());
        assertEquals("Step 1 (slow) failed: canceling statement due to statement timeout", job.message());
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
