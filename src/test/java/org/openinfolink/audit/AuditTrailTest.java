package org.openinfolink.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openinfolink.job.StoreUnavailableException;
import org.openinfolink.testsupport.LogCapture;
import org.openinfolink.testsupport.Poll;

/**
 * The audit trail against a hand-written store: the log line at once, batches written by the
 * writer thread without the caller waiting, flush, a store outage that loses nothing the queue can
 * hold, the bounded queue, close, and the purge loop.
 */
class AuditTrailTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long DAY_MILLIS = TimeUnit.DAYS.toMillis(1);

    /** Batches of 500 that wait an hour to fill: only a full batch, a flush or a close writes. */
    private static final AuditTrail.Tuning FLUSHED_ONLY = new AuditTrail.Tuning(500, Duration.ofHours(1), 10_000,
            Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofHours(1), Duration.ofSeconds(5));

    /**
     * A store in memory that can be made unavailable, made to hold its next insert until released,
     * and refuses any entry of {@code who = "poison"} as a bug would. Thread safe.
     */
    private static final class MemoryStore implements AuditStore {
        final List<List<AuditEntry>> batches = new ArrayList<>();
        final List<Long> ages = new ArrayList<>();
        final List<String> writerThreads = new ArrayList<>();
        final List<long[]> purges = new ArrayList<>();
        volatile boolean down;
        volatile boolean purgeFails;
        volatile CountDownLatch gate = new CountDownLatch(0);
        final CountDownLatch insertEntered = new CountDownLatch(1);
        List<AuditRecord> listed = List.of();

        @Override
        public void insert(List<AuditEntry> entries) {
            throw new AssertionError("the trail gives every entry its age");
        }

        @Override
        public void insert(List<AuditEntry> entries, List<Long> agesMillis) {
            insertEntered.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreUnavailableException("interrupted", null);
            }
            if (down) {
                throw new StoreUnavailableException("The job store cannot be used now; retry later.", null);
            }
            if (entries.stream().anyMatch(entry -> entry.who().equals("poison"))) {
                throw new IllegalStateException("a bug");
            }
            synchronized (this) {
                batches.add(List.copyOf(entries));
                ages.addAll(agesMillis);
                writerThreads.add(Thread.currentThread().getName());
            }
        }

        @Override
        public synchronized List<AuditRecord> list(AuditQuery query) {
            return listed;
        }

        @Override
        public int purge(long keepMillis, int batchSize) {
            synchronized (this) {
                purges.add(new long[] {keepMillis, batchSize});
            }
            if (purgeFails) {
                throw new StoreUnavailableException("The job store cannot be used now; retry later.", null);
            }
            return 0;
        }

        synchronized List<AuditEntry> stored() {
            return batches.stream().flatMap(List::stream).toList();
        }

        synchronized List<Integer> batchSizes() {
            return batches.stream().map(List::size).toList();
        }

        synchronized int purgeCount() {
            return purges.size();
        }

        synchronized long[] firstPurge() {
            return purges.get(0);
        }
    }

    private static AuditEntry entry(int n) {
        return new AuditEntry(AuditAction.EXECUTE_JOB, "crm-sync", "10.0.0.7", "7", "job-" + n, "OK", null);
    }

    private static List<AuditEntry> entries(int from, int to) {
        List<AuditEntry> entries = new ArrayList<>();
        for (int n = from; n < to; n++) {
            entries.add(entry(n));
        }
        return entries;
    }

    @Test
    void anEntryIsLoggedAtOnceAndReachesTheStoreSoonAfterWithoutAFlush() throws Exception {
        MemoryStore store = new MemoryStore();
        try (LogCapture log = LogCapture.start(Logger.getLogger(AuditTrail.LOGGER_NAME));
             AuditTrail trail = new AuditTrail(store, 90, 1000)) {
            trail.start();
            trail.record(entry(1));

            assertTrue(log.text().contains("INFO: action=executeJob who=crm-sync remoteAddress=10.0.0.7 appId=7"
                    + " jobId=job-1 outcome=OK"), log.text());
            Poll.until(WAIT, store::stored, stored -> stored.equals(List.of(entry(1))), "the entry stored");
            assertEquals(List.of("infolink-audit-writer-1"), store.writerThreads, "the writer's own named thread");
        }
    }

    @Test
    void recordingNeverWaitsForTheStore() throws Exception {
        MemoryStore store = new MemoryStore();
        store.gate = new CountDownLatch(1);
        try (AuditTrail trail = new AuditTrail(store, 90, 1000)) {
            trail.start();
            trail.record(entry(0));
            assertTrue(store.insertEntered.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the writer inserts");

            long start = System.nanoTime();
            entries(1, 1001).forEach(trail::record);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "1000 records while the store hangs took " + took);
            assertEquals(List.of(), store.stored());
            store.gate.countDown();
            assertTrue(trail.flush(WAIT));
            assertEquals(entries(0, 1001), store.stored(), "every entry, in order");
            assertEquals(List.of(1, 500, 500), store.batchSizes(), "what queued up meanwhile, in full batches");
        }
    }

    @Test
    void aBatchIsWrittenWhenFullOrFlushedAndHoldsAtMostTheBatchSize() throws Exception {
        MemoryStore store = new MemoryStore();
        try (AuditTrail trail = new AuditTrail(store, 90, 1000, FLUSHED_ONLY)) {
            trail.start();
            entries(0, 3).forEach(trail::record);
            assertTrue(trail.flush(WAIT));
            assertEquals(List.of(3), store.batchSizes(), "flushed at once, though the batch could wait an hour");

            entries(3, 503).forEach(trail::record);
            Poll.until(WAIT, store::batchSizes, sizes -> sizes.equals(List.of(3, 500)), "a full batch written");

            entries(503, 1704).forEach(trail::record);
            assertTrue(trail.flush(WAIT));
            assertEquals(List.of(3, 500, 500, 500, 201), store.batchSizes());
            assertEquals(entries(0, 1704), store.stored());
        }
    }

    @Test
    void whileTheStoreIsDownEntriesAreKeptAndWrittenWhenItIsBack() throws Exception {
        MemoryStore store = new MemoryStore();
        store.down = true;
        try (LogCapture log = LogCapture.start(Logger.getLogger(AuditTrail.class.getName()));
             AuditTrail trail = new AuditTrail(store, 90, 1000, FLUSHED_ONLY)) {
            trail.start();
            long recorded = System.nanoTime();
            entries(0, 5).forEach(trail::record);

            assertFalse(trail.flush(Duration.ofMillis(300)), "not in the store while it is down");
            entries(5, 8).forEach(trail::record);
            assertFalse(trail.flush(Duration.ofMillis(100)));
            assertEquals(List.of(), store.stored());

            store.down = false;
            assertTrue(trail.flush(WAIT));
            long written = System.nanoTime();

            assertEquals(entries(0, 8), store.stored(), "nothing lost, in order");
            long firstAge = store.ages.get(0);
            assertTrue(firstAge >= 400 && firstAge <= TimeUnit.NANOSECONDS.toMillis(written - recorded),
                    "the first entry is stamped with the time it was recorded: " + store.ages);
            // the writer logs the recovery after it woke the flush
            String logged = Poll.until(WAIT, log::text,
                    text -> text.contains("The audit trail is written to the store again"), "the recovery logged");
            assertEquals(1, count(logged, "The audit trail cannot be written to the store now"),
                    "the outage is logged once: " + logged);
        }
    }

    @Test
    void beyondTheQueueEntriesAreInTheLogOnlyAndTheLossIsLoggedOnce() throws Exception {
        MemoryStore store = new MemoryStore();
        store.down = true;
        AuditTrail.Tuning small = new AuditTrail.Tuning(5, Duration.ofHours(1), 10, Duration.ofMillis(50),
                Duration.ofMillis(200), Duration.ofHours(1), Duration.ofSeconds(5));
        try (LogCapture log = LogCapture.start(Logger.getLogger(AuditTrail.LOGGER_NAME));
             AuditTrail trail = new AuditTrail(store, 90, 1000, small)) {
            trail.start();
            entries(0, 16).forEach(trail::record);
            assertFalse(trail.flush(Duration.ofMillis(100)));
            assertEquals(1, count(log.text(), "further entries are in the log only"), log.text());

            store.down = false;
            assertTrue(trail.flush(WAIT));

            assertEquals(entries(0, 10), store.stored(), "the queue's ten, the oldest");
            assertTrue(log.text().contains("6 audit entries were recorded while the store could not be written"),
                    log.text());
            for (int n = 0; n < 16; n++) {
                assertTrue(log.text().contains(" jobId=job-" + n + " "), "every entry is in the log: " + n);
            }
        }
    }

    @Test
    void closeWritesWhatIsQueued() {
        MemoryStore store = new MemoryStore();
        AuditTrail trail = new AuditTrail(store, 90, 1000, FLUSHED_ONLY);
        trail.start();
        entries(0, 3).forEach(trail::record);

        trail.close();

        assertEquals(entries(0, 3), store.stored());
        trail.record(entry(3));
        assertTrue(trail.flush(Duration.ofMillis(100)), "nothing recorded after close is waited for");
        assertEquals(entries(0, 3), store.stored(), "after close an entry is logged only");
        trail.close();
    }

    @Test
    void closeGivesUpOnAStoreThatStaysDownAndSaysWhatIsLost() {
        MemoryStore store = new MemoryStore();
        store.down = true;
        AuditTrail.Tuning quick = new AuditTrail.Tuning(500, Duration.ofHours(1), 10_000, Duration.ofMillis(50),
                Duration.ofMillis(200), Duration.ofHours(1), Duration.ofMillis(300));
        try (LogCapture log = LogCapture.start(Logger.getLogger(AuditTrail.class.getName()))) {
            AuditTrail trail = new AuditTrail(store, 90, 1000, quick);
            trail.start();
            entries(0, 4).forEach(trail::record);

            long start = System.nanoTime();
            trail.close();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "close took " + took);
            assertTrue(log.text().contains("4 audit entries were not written to the store before shutdown"),
                    log.text());
            assertEquals(List.of(), store.stored());
        }
    }

    @Test
    void aBatchThatCanNeverBeWrittenIsGivenUpAndTheRestGoesOn() throws Exception {
        MemoryStore store = new MemoryStore();
        try (LogCapture log = LogCapture.start(Logger.getLogger(AuditTrail.class.getName()));
             AuditTrail trail = new AuditTrail(store, 90, 1000, FLUSHED_ONLY)) {
            trail.start();
            trail.record(new AuditEntry(AuditAction.CONSOLE_LOGIN, "poison", "10.0.0.1", null, null, "OK", null));
            assertTrue(trail.flush(WAIT), "given up counts as done");
            trail.record(entry(1));
            assertTrue(trail.flush(WAIT));

            assertEquals(List.of(entry(1)), store.stored());
            assertTrue(log.text().contains("SEVERE: 1 audit entries cannot be written to the store and are given up"),
                    log.text());
        }
    }

    @Test
    void thePurgeLoopDeletesOlderThanKeepDaysAtStartAndGoesOnAfterAFailure() throws Exception {
        MemoryStore store = new MemoryStore();
        store.purgeFails = true;
        AuditTrail.Tuning often = new AuditTrail.Tuning(500, Duration.ofMillis(100), 10_000, Duration.ofMillis(50),
                Duration.ofMillis(200), Duration.ofMillis(20), Duration.ofSeconds(5));
        try (AuditTrail trail = new AuditTrail(store, 30, 250, often)) {
            trail.start();
            Poll.until(WAIT, store::purgeCount, count -> count >= 3, "three purges, though each failed");
        }
        long[] first = store.firstPurge();
        assertEquals(30 * DAY_MILLIS, first[0]);
        assertEquals(250, first[1]);
    }

    @Test
    void listReadsTheStore() {
        MemoryStore store = new MemoryStore();
        store.listed = List.of(new AuditRecord(7, Instant.parse("2026-12-02T10:00:00Z"), entry(1)));
        try (AuditTrail trail = new AuditTrail(store, 90, 1000)) {
            assertSame(store.listed, trail.list(AuditQuery.newest(10)));
        }
    }

    @Test
    void aTrailStartsOnceAndNeedsSensibleSettings() {
        MemoryStore store = new MemoryStore();
        try (AuditTrail trail = new AuditTrail(store, 90, 1000)) {
            trail.start();
            assertThrows(IllegalStateException.class, trail::start);
        }
        assertThrows(IllegalArgumentException.class, () -> new AuditTrail(store, 0, 1000));
        assertThrows(IllegalArgumentException.class, () -> new AuditTrail(store, 90, 0));
    }

    @Test
    void theLogLineQuotesWhatNeedsItAndLeavesOutWhatIsAbsent() {
        assertEquals("action=executeJob who=crm-sync remoteAddress=10.0.0.7 appId=7 jobId=job-1 outcome=OK"
                + " detail=\"RunScenario Main, async\"", AuditTrail.logLine(new AuditEntry(AuditAction.EXECUTE_JOB,
                "crm-sync", "10.0.0.7", "7", "job-1", "OK", "RunScenario Main, async")));
        assertEquals("action=authenticationRefused who=- remoteAddress=- outcome=INVALID_API_KEY",
                AuditTrail.logLine(new AuditEntry(AuditAction.AUTHENTICATION_REFUSED, null, " ", null, "", "INVALID_API_KEY",
                        null)));
        String forged = AuditTrail.logLine(new AuditEntry(AuditAction.CONSOLE_LOGIN_REFUSED,
                "eve outcome=OK \"x\\y\"", "10.0.0.1", null, "a\u2028b", "INVALID_CREDENTIALS", "tab\there"));
        assertEquals("action=console.loginRefused who=\"eve outcome=OK \\\"x\\\\y\\\"\" remoteAddress=10.0.0.1"
                + " jobId=\"a\\u2028b\" outcome=INVALID_CREDENTIALS detail=tab\uFFFDhere", forged);
        assertEquals(List.of("action", "who", "remoteAddress", "jobId", "outcome", "detail"), keys(forged),
                "a value cannot forge a field");
    }

    /** The keys of a log line's fields, read as a parser of key=value lines would. */
    private static List<String> keys(String line) {
        Matcher field = Pattern.compile("(\\w+)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S+)").matcher(line);
        List<String> keys = new ArrayList<>();
        while (field.find()) {
            keys.add(field.group(1));
        }
        return keys;
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
