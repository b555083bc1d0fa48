package org.openinfolink.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.openinfolink.job.JobRefusedException;
import org.openinfolink.job.StoreUnavailableException;
import org.openinfolink.testsupport.LogCapture;

/**
 * The scheduler's ticks against an in-memory schedule store: a new schedule waits for its next
 * fire, fires are started once, a refused fire is retried, a failing tick is logged once and the
 * next one works.
 */
class SchedulerTest {

    private static final Instant T0 = Instant.parse("2027-01-15T10:00:00.300Z");

    /** Schedule rows in memory, with a clock the test sets; can be made to fail. */
    private static final class MemoryStore implements ScheduleStore {
        Instant now = T0;
        int failures;
        final Map<Key, State> rows = new HashMap<>();

        @Override
        public synchronized Snapshot snapshot() {
            if (failures > 0) {
                failures--;
                throw new StoreUnavailableException("The job store cannot be used now; retry later.", null);
            }
            return new Snapshot(now, Map.copyOf(rows));
        }

        @Override
        public synchronized void addIfAbsent(Key key) {
            rows.putIfAbsent(key, new State(now, null, null));
        }

        @Override
        public synchronized boolean advance(Key key, Instant expected, Instant handledUntil, Instant lastFireAt,
                                            String lastJobId) {
            State state = rows.get(key);
            if (state == null || !state.handledUntil().equals(expected)) {
                return false;
            }
            rows.put(key, new State(handledUntil, lastFireAt != null ? lastFireAt : state.lastFireAt(),
                    lastJobId != null ? lastJobId : state.lastJobId()));
            return true;
        }
    }

    private final MemoryStore store = new MemoryStore();
    private final List<String> started = new ArrayList<>();
    private JobRefusedException refusal;

    private Scheduler scheduler(Misfire misfire) {
        String cron = "*/2 * * * * ?";
        Schedule schedule = new Schedule("7", "s", "Main", cron, ZoneId.of("UTC"),
                Collections.unmodifiableSortedMap(new TreeMap<>()), true, misfire, ScheduleLoader.executionTime(cron));
        return new Scheduler(Map.of("7", List.of(ScheduleEntry.valid(schedule))), store, (fired, jobId) -> {
            if (refusal != null) {
                throw refusal;
            }
            started.add(jobId);
        });
    }

    @Test
    void aNewScheduleStartsWithItsNextFireAndEachFireStartsOnce() {
        Scheduler scheduler = scheduler(Misfire.RUN_ONCE);
        scheduler.tick();
        assertEquals(List.of(), started, "first seen: nothing before it was due");
        store.now = Instant.parse("2027-01-15T10:00:02.200Z");
        scheduler.tick();
        scheduler.tick();
        assertEquals(List.of("s-20270115T100002Z"), started);
        store.now = Instant.parse("2027-01-15T10:00:04.100Z");
        scheduler.tick();
        assertEquals(List.of("s-20270115T100002Z", "s-20270115T100004Z"), started);
        ScheduleStore.State state = store.rows.get(new ScheduleStore.Key("7", "s"));
        assertEquals(new ScheduleStore.State(Instant.parse("2027-01-15T10:00:04Z"),
                Instant.parse("2027-01-15T10:00:04Z"), "s-20270115T100004Z"), state);
    }

    @Test
    void aFireTheRegistryRefusesIsTriedAgainOnTheNextTick() {
        Scheduler scheduler = scheduler(Misfire.SKIP);
        scheduler.tick();
        store.now = Instant.parse("2027-01-15T10:00:02.200Z");
        refusal = new JobRefusedException(JobRefusedException.Reason.QUEUE_FULL, "Server is busy.");
        scheduler.tick();
        assertEquals(List.of(), started);
        refusal = null;
        store.now = Instant.parse("2027-01-15T10:00:03.200Z");
        scheduler.tick();
        assertEquals(List.of("s-20270115T100002Z"), started);
    }

    @Test
    void aFireWhoseIdATakenJobHoldsIsNotRetried() {
        Scheduler scheduler = scheduler(Misfire.RUN_ONCE);
        scheduler.tick();
        store.now = Instant.parse("2027-01-15T10:00:02.200Z");
        refusal = new JobRefusedException(JobRefusedException.Reason.DUPLICATE_JOB_ID, "taken.");
        scheduler.tick();
        refusal = null;
        scheduler.tick();
        assertEquals(List.of(), started);
        assertEquals(Instant.parse("2027-01-15T10:00:02Z"),
                store.rows.get(new ScheduleStore.Key("7", "s")).handledUntil());
    }

    @Test
    void aFailingTickIsLoggedOnceAndTheNextOneFires() {
        Scheduler scheduler = scheduler(Misfire.RUN_ONCE);
        scheduler.tick();
        store.now = Instant.parse("2027-01-15T10:00:02.200Z");
        store.failures = 3;
        try (LogCapture log = LogCapture.start(Logger.getLogger(Scheduler.class.getName()))) {
            scheduler.tick();
            scheduler.tick();
            scheduler.tick();
            store.now = Instant.parse("2027-01-15T10:00:03.000Z");
            scheduler.tick();
            String text = log.text();
            assertEquals(1, text.split("Schedules cannot fire now", -1).length - 1, text);
            assertTrue(text.contains("Schedules fire again"), text);
        }
        assertEquals(List.of("s-20270115T100002Z"), started);
    }

    @Test
    void missedFiresAfterDowntimeGetOneCatchUpRun() {
        Scheduler scheduler = scheduler(Misfire.RUN_ONCE);
        scheduler.tick();
        store.now = Instant.parse("2027-01-15T10:00:30.500Z");
        scheduler.tick();
        assertEquals(List.of("s-20270115T100002Z", "s-20270115T100026Z", "s-20270115T100028Z",
                "s-20270115T100030Z"), started, "the catch-up (first fire missed), then the fires on time");
    }
}
