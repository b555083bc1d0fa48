package org.openinfolink.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.dbcp2.BasicDataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openinfolink.schedule.ScheduleStore;
import org.openinfolink.testdb.TestDatabase;
import org.openinfolink.testsupport.TestStores;

/** The schedules' rows on H2, PostgreSQL and MariaDB: added once, moved on by one racer only. */
class JdbcScheduleStoreTest {

    private static final ScheduleStore.Key NIGHTLY = new ScheduleStore.Key("7", "nightly");
    /** Same name, other case: a different schedule on every database. */
    private static final ScheduleStore.Key NIGHTLY_UPPER = new ScheduleStore.Key("7", "NIGHTLY");

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aScheduleIsAddedOnceAtTheStoresClock(TestDatabase kind) throws Exception {
        try (BasicDataSource pool = TestStores.migrated(kind)) {
            JdbcScheduleStore store = new JdbcScheduleStore(pool);
            long before = new StoreRows(pool).storeNow();
            store.addIfAbsent(NIGHTLY);
            store.addIfAbsent(NIGHTLY);
            store.addIfAbsent(NIGHTLY_UPPER);
            long after = new StoreRows(pool).storeNow();

            ScheduleStore.Snapshot snapshot = store.snapshot();
            assertEquals(2, snapshot.states().size(), snapshot.toString());
            ScheduleStore.State state = snapshot.states().get(NIGHTLY);
            long handled = state.handledUntil().toEpochMilli();
            assertTrue(handled >= before && handled <= after, state.toString());
            assertNull(state.lastFireAt());
            assertNull(state.lastJobId());
            assertTrue(snapshot.now().toEpochMilli() >= after, snapshot.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aScheduleMovesOnOnlyFromWhatWasRead(TestDatabase kind) throws Exception {
        try (BasicDataSource pool = TestStores.migrated(kind)) {
            JdbcScheduleStore store = new JdbcScheduleStore(pool);
            store.addIfAbsent(NIGHTLY);
            Instant added = store.snapshot().states().get(NIGHTLY).handledUntil();
            Instant fire = Instant.parse("2027-01-15T01:00:00Z");

            assertTrue(store.advance(NIGHTLY, added, fire, fire, "nightly-20270115T010000Z"));
            assertFalse(store.advance(NIGHTLY, added, fire.plusSeconds(60), fire.plusSeconds(60), "late"),
                    "a second node that read the same row loses");
            assertEquals(new ScheduleStore.State(fire, fire, "nightly-20270115T010000Z"),
                    store.snapshot().states().get(NIGHTLY));

            // moved on without a fire started (skipped): the last fire stays
            Instant skipped = fire.plusSeconds(86_400);
            assertTrue(store.advance(NIGHTLY, fire, skipped, null, null));
            assertEquals(new ScheduleStore.State(skipped, fire, "nightly-20270115T010000Z"),
                    store.snapshot().states().get(NIGHTLY));
            assertFalse(store.advance(NIGHTLY_UPPER, skipped, skipped.plusSeconds(1), null, null),
                    "no row for another name");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
    void ofNodesRacingForOneFireOneMovesTheScheduleOn(TestDatabase kind) throws Exception {
        try (BasicDataSource pool = TestStores.migrated(kind)) {
            JdbcScheduleStore store = new JdbcScheduleStore(pool);
            store.addIfAbsent(NIGHTLY);
            Instant read = store.snapshot().states().get(NIGHTLY).handledUntil();
            int racers = 8;
            ExecutorService threads = Executors.newFixedThreadPool(racers);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> outcomes = new ArrayList<>();
                for (int i = 0; i < racers; i++) {
                    Instant fire = read.plusSeconds(1 + i);
                    Callable<Boolean> race = () -> {
                        go.await();
                        return store.advance(NIGHTLY, read, fire, fire, "racer-" + fire.getEpochSecond());
                    };
                    outcomes.add(threads.submit(race));
                }
                go.countDown();
                int won = 0;
                for (Future<Boolean> outcome : outcomes) {
                    won += outcome.get() ? 1 : 0;
                }
                assertEquals(1, won);
            } finally {
                threads.shutdownNow();
            }
        }
    }
}
