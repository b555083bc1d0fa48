package org.openinfolink.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.openinfolink.engine.StepTrace;
import org.openinfolink.sql.ColumnInfo;
import org.openinfolink.sql.SqlDialect;
import org.openinfolink.sql.StandardType;

/** The finished jobs a node keeps: only finished ones, never past the retention floor, bounded. */
class FinishedJobsTest {

    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private final MutableClock clock = new MutableClock();
    private final FinishedJobs kept = new FinishedJobs(Duration.ofMinutes(10), clock);

    @Test
    void aFinishedJobIsKeptAndAnUnfinishedOneNever() {
        kept.remember(job(1, "done", JobState.COMPLETED, NOW));
        kept.remember(job(2, "busy", JobState.RUNNING, null));

        assertEquals(1, kept.find("7", "done").orElseThrow().seq());
        assertTrue(kept.find("7", "busy").isEmpty());
        assertTrue(kept.find("8", "done").isEmpty(), "another app's job of the same id");
    }

    @Test
    void anEntryGoesAfterAtMostItsMaximumAgeAndBeforeTheRetentionFloor() {
        kept.remember(job(1, "fresh", JobState.COMPLETED, NOW));
        // finished 9 min 55 s ago: within 10 s of the 10 min floor, retention may take it soon
        kept.remember(job(2, "old", JobState.STOPPED, NOW.minusSeconds(595)));

        assertTrue(kept.find("7", "old").isEmpty(), "never kept that close to the floor");
        clock.advance(FinishedJobs.MAX_AGE.minusSeconds(1));
        assertTrue(kept.find("7", "fresh").isPresent());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(kept.find("7", "fresh").isEmpty());
        assertEquals(0, kept.size());
    }

    @Test
    void traceResultsAndSmallRecordsAreReadOnce() throws Exception {
        JobRecord job = job(1, "done", JobState.COMPLETED, NOW);
        kept.remember(job);
        AtomicInteger loads = new AtomicInteger();
        List<StepTrace> trace = List.of(new StepTrace("1", "Load", "Transform", "completed", NOW, NOW, 2L,
                List.of(), null));
        ResultInfo result = new ResultInfo(1, "rows", "[]", 2);

        assertEquals(trace, kept.trace(job, () -> {
            loads.incrementAndGet();
            return trace;
        }));
        assertSame(kept.trace(job, () -> List.of()), kept.trace(job, () -> List.of()));
        assertEquals(List.of(result), kept.results(job, () -> List.of(result)));
        assertEquals(List.of(result), kept.results(job, () -> List.of()));

        byte[] records = "[{\"id\":1},{\"id\":2}]".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 3; i++) {
            try (InputStream in = kept.records(job, result, () -> {
                loads.incrementAndGet();
                return new ByteArrayInputStream(records);
            })) {
                assertArrayEquals(records, in.readAllBytes());
            }
        }
        assertEquals(2, loads.get(), "the trace once, the records once");
    }

    @Test
    void aLargeResultStreamsWholeAndIsNotKept() throws Exception {
        JobRecord job = job(1, "big", JobState.COMPLETED, NOW);
        kept.remember(job);
        ResultInfo result = new ResultInfo(1, "rows", "[]", 1);
        byte[] large = new byte[FinishedJobs.MAX_RESULT_BYTES + 1000];
        java.util.Arrays.fill(large, (byte) 'x');
        AtomicInteger opens = new AtomicInteger();
        for (int i = 0; i < 2; i++) {
            try (InputStream in = kept.records(job, result, () -> {
                opens.incrementAndGet();
                return new ByteArrayInputStream(large);
            })) {
                assertArrayEquals(large, in.readAllBytes());
            }
        }
        assertEquals(2, opens.get());
    }

    @Test
    void theOldestGoFirstBeyondTheLimit() {
        for (int i = 0; i <= FinishedJobs.MAX_JOBS; i++) {
            kept.remember(job(i, "job-" + i, JobState.COMPLETED, NOW));
        }
        assertEquals(FinishedJobs.MAX_JOBS, kept.size());
        assertTrue(kept.find("7", "job-0").isEmpty());
        assertTrue(kept.find("7", "job-" + FinishedJobs.MAX_JOBS).isPresent());
    }

    @Test
    void aJobThatEndedHereWithAllItWroteIsAnsweredWithoutTheStore() throws Exception {
        JobRecord job = job(1, "sync", JobState.COMPLETED, NOW);
        StepTrace step = new StepTrace("1", "Load", "Transform", "completed", NOW, NOW, 2L, List.of(), null);
        List<ColumnInfo> columns = List.of(new ColumnInfo("id", "integer", "INTEGER", 32, 0, Types.INTEGER,
                StandardType.INTEGER, false, false, SqlDialect.H2));
        byte[] records = "[{\"id\":1},{\"id\":2}]".getBytes(StandardCharsets.UTF_8);
        kept.rememberEnded(job, new JobStore.Written(List.of(new JobStore.Written.Step(1, step)),
                List.of(new JobStore.Written.Result(1, "rows", columns, records, 2))));

        assertEquals(job, kept.find("7", "sync").orElseThrow());
        assertEquals(List.of(step), kept.trace(job, () -> fail("the trace is kept")));
        ResultInfo result = new ResultInfo(1, "rows", ColumnInfo.schemaJson(columns), 2);
        assertEquals(List.of(result), kept.results(job, () -> fail("the result sets are kept")));
        try (InputStream in = kept.records(job, result, () -> fail("the records are kept"))) {
            assertArrayEquals(records, in.readAllBytes());
        }
    }

    @Test
    void aJobThatEndedHereAfterWritingToTheStoreIsReadFromItOnce() {
        JobRecord job = job(1, "long", JobState.COMPLETED, NOW);
        kept.rememberEnded(job, null);
        AtomicInteger loads = new AtomicInteger();

        assertEquals(job, kept.find("7", "long").orElseThrow());
        for (int i = 0; i < 2; i++) {
            assertEquals(List.of(), kept.trace(job, () -> {
                loads.incrementAndGet();
                return List.of();
            }));
        }
        assertEquals(1, loads.get(), "the trace comes from the store, once");
    }

    @Test
    void anAnswerIsRenderedOnceAndOnlyWhenTheJobIsKeptWhole() throws Exception {
        JobRecord job = job(1, "done", JobState.COMPLETED, NOW);
        kept.remember(job);
        AtomicInteger renders = new AtomicInteger();
        JobRegistry.Rendering render = () -> ("answer " + renders.incrementAndGet()).getBytes(StandardCharsets.UTF_8);

        assertNull(kept.answer(job, "status", render), "the trace and results are not kept yet");
        kept.trace(job, List::of);
        ResultInfo result = new ResultInfo(1, "rows", "[]", 2);
        kept.results(job, () -> List.of(result));
        assertNull(kept.answer(job, "status", render), "the records are not kept yet");
        kept.records(job, result, () -> new ByteArrayInputStream("[]".getBytes(StandardCharsets.UTF_8))).close();

        assertEquals("answer 1", new String(kept.answer(job, "status", render), StandardCharsets.UTF_8));
        assertEquals("answer 1", new String(kept.answer(job, "status", render), StandardCharsets.UTF_8));
        assertEquals("answer 2", new String(kept.answer(job, "status, no schema", render), StandardCharsets.UTF_8));
        assertEquals(2, renders.get());
        clock.advance(FinishedJobs.MAX_AGE);
        assertNull(kept.answer(job, "status", render), "gone with the job");
    }

    private static JobRecord job(long seq, String jobId, JobState state, Instant finishedAt) {
        JobRequest request = new JobRequest("7", jobId, "client", "Main", "RunScenario", "{}", 60, false);
        return new JobRecord(seq, request, state, 1, "node", NOW.minusSeconds(1), NOW.minusSeconds(1), finishedAt,
                null, null);
    }

    private static final class MutableClock extends Clock {
        private Instant now = NOW;

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
