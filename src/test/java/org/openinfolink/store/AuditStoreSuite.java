package org.openinfolink.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.commons.dbcp2.BasicDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openinfolink.audit.AuditAction;
import org.openinfolink.audit.AuditEntry;
import org.openinfolink.audit.AuditQuery;
import org.openinfolink.audit.AuditRecord;
import org.openinfolink.job.StoreUnavailableException;
import org.openinfolink.testdb.TestDatabase;
import org.openinfolink.testsupport.TestStores;

/**
 * {@link JdbcAuditStore} on a fresh migrated database of one kind, emptied before every test:
 * inserts stamped by the store's clock, every filter, keyset paging, and retention by age in
 * batches. Each subclass names its database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AuditStoreSuite {

    static final long MINUTE = 60_000;
    static final long DAY = 24 * 60 * MINUTE;

    private static final AuditEntry STARTED = new AuditEntry(AuditAction.EXECUTE_JOB, "crm-sync", "10.0.0.7", "7",
            "job-1", "OK", "RunScenario Main, async");
    private static final AuditEntry STOPPED = new AuditEntry(AuditAction.STOP_JOB, "crm-sync", "10.0.0.7", "7",
            "job-1", "STOP_STARTED", null);
    private static final AuditEntry REFUSED = new AuditEntry(AuditAction.AUTHENTICATION_REFUSED, "-", "10.0.0.9",
            "8", null, "INVALID_API_KEY", "executeJob");
    private static final AuditEntry ISSUED = new AuditEntry(AuditAction.TOKEN_ISSUED, "batch", "10.0.0.8", null,
            null, "OK", "client_credentials");
    private static final AuditEntry CONSOLE_STOP = new AuditEntry(AuditAction.CONSOLE_STOP_JOB, "alice",
            "10.0.0.1", "8", "job-2", "STOP_STARTED", null);

    private BasicDataSource pool;
    private JdbcAuditStore store;
    private StoreRows rows;

    /** The database kind under test. */
    abstract TestDatabase database();

    @BeforeAll
    void openStore() {
        pool = TestStores.migrated(database());
        store = new JdbcAuditStore(pool);
        rows = new StoreRows(pool);
    }

    @BeforeEach
    void emptyStore() throws SQLException {
        rows.execute("DELETE FROM il_audit");
    }

    @AfterAll
    void closeStore() throws SQLException {
        pool.close();
    }

    @Test
    void anEntryIsStoredAsGivenAndStampedByTheStoreClock() throws SQLException {
        long before = rows.storeNow();
        store.insert(List.of(STARTED, REFUSED));
        long after = rows.storeNow();

        List<AuditRecord> records = store.list(AuditQuery.newest(10));

        assertEquals(List.of(REFUSED, STARTED), entries(records), "newest first");
        assertTrue(records.get(0).seq() > records.get(1).seq());
        for (AuditRecord record : records) {
            long at = record.at().toEpochMilli();
            assertTrue(at >= before && at <= after, record + " between " + before + " and " + after);
        }
        assertNull(records.get(0).entry().jobId());
    }

    @Test
    void anEntryWrittenLateKeepsTheTimeItHappened() throws SQLException {
        long before = rows.storeNow();
        store.insert(List.of(STARTED, STOPPED), List.of(10 * MINUTE, 0L));
        long after = rows.storeNow();

        List<AuditRecord> records = store.list(AuditQuery.newest(10));

        assertEquals(List.of(STOPPED, STARTED), entries(records));
        long started = records.get(1).at().toEpochMilli();
        assertTrue(started >= before - 10 * MINUTE && started <= after - 10 * MINUTE, "ten minutes earlier: "
                + records.get(1));
        long stopped = records.get(0).at().toEpochMilli();
        assertTrue(stopped >= before && stopped <= after, records.get(0).toString());
        assertThrows(IllegalArgumentException.class, () -> store.insert(List.of(STARTED), List.of()));
    }

    @Test
    void nothingToInsertIsNoCall() {
        store.insert(List.of());
        assertEquals(List.of(), store.list(AuditQuery.newest(10)));
    }

    @Test
    void textKeepsItsCharactersAndFillsItsColumns() {
        AuditEntry wide = new AuditEntry(AuditAction.CONSOLE_LOGIN_REFUSED, "Zoë 東京 " + "w".repeat(300),
                "2001:db8:85a3::8a2e:370:7334%eth0-" + "a".repeat(60), "ü".repeat(200), "j".repeat(200),
                "INVALID_CREDENTIALS", "line one\nline two\u0000 " + "d".repeat(2000));
        assertEquals(AuditEntry.MAX_WHO, wide.who().length());
        assertEquals(AuditEntry.MAX_DETAIL, wide.detail().length());
        assertTrue(wide.detail().startsWith("line one\uFFFDline two\uFFFD "), wide.detail());

        store.insert(List.of(wide));

        assertEquals(List.of(wide), entries(store.list(AuditQuery.newest(1))));
    }

    @Test
    void eachFilterSelectsItsRecordsOnly() {
        store.insert(List.of(STARTED, STOPPED, REFUSED, ISSUED, CONSOLE_STOP));

        assertEquals(List.of(STOPPED), entries(store.list(new AuditQuery(AuditAction.STOP_JOB, null, null, null,
                null, null, null, null, 10))));
        assertEquals(List.of(STOPPED, STARTED), entries(store.list(new AuditQuery(null, "crm-sync", null, null,
                null, null, null, null, 10))));
        assertEquals(List.of(CONSOLE_STOP, REFUSED), entries(store.list(new AuditQuery(null, null, "8", null,
                null, null, null, null, 10))));
        assertEquals(List.of(STOPPED, STARTED), entries(store.list(new AuditQuery(null, null, null, "job-1",
                null, null, null, null, 10))));
        assertEquals(List.of(CONSOLE_STOP, STOPPED), entries(store.list(new AuditQuery(null, null, null, null,
                "STOP_STARTED", null, null, null, 10))));
        assertEquals(List.of(STOPPED), entries(store.list(new AuditQuery(AuditAction.STOP_JOB, "crm-sync", "7",
                "job-1", "STOP_STARTED", null, null, null, 10))), "filters combine");
        assertEquals(List.of(), entries(store.list(new AuditQuery(null, "CRM-SYNC", null, null, null, null, null,
                null, 10))), "names compare exactly");
        assertEquals(List.of(), entries(store.list(new AuditQuery(AuditAction.TOKEN_REFUSED, null, null, null,
                null, null, null, null, 10))));
    }

    @Test
    void aTimeRangeIncludesItsStartAndExcludesItsEnd() throws SQLException {
        store.insert(List.of(STARTED, STOPPED, REFUSED));
        List<Long> seqs = rows.queryLongs("SELECT seq FROM il_audit ORDER BY seq");
        long base = 1_700_000_000_000L;
        for (int i = 0; i < seqs.size(); i++) {
            rows.update("UPDATE il_audit SET at_millis = ? WHERE seq = ?", base + i * MINUTE, seqs.get(i));
        }
        Instant first = Instant.ofEpochMilli(base);
        Instant second = Instant.ofEpochMilli(base + MINUTE);
        Instant third = Instant.ofEpochMilli(base + 2 * MINUTE);

        assertEquals(List.of(REFUSED, STOPPED), entries(store.list(new AuditQuery(null, null, null, null, null,
                second, null, null, 10))));
        assertEquals(List.of(STOPPED, STARTED), entries(store.list(new AuditQuery(null, null, null, null, null,
                null, third, null, 10))));
        assertEquals(List.of(STOPPED), entries(store.list(new AuditQuery(null, null, null, null, null,
                second, third, null, 10))));
        assertEquals(List.of(), entries(store.list(new AuditQuery(null, null, null, null, null, first, first,
                null, 10))));
        assertEquals(first, store.list(new AuditQuery(AuditAction.EXECUTE_JOB, null, null, null, null, null, null,
                null, 1)).get(0).at());
    }

    @Test
    void pagesFollowOneAnotherByTheLastSeqOfEach() {
        List<AuditEntry> all = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            all.add(new AuditEntry(AuditAction.EXECUTE_JOB, "crm-sync", "10.0.0.7", "7", "job-" + i, "OK", null));
        }
        store.insert(all);
        store.insert(List.of(REFUSED));

        List<AuditEntry> paged = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        Long before = null;
        while (true) {
            List<AuditRecord> page = store.list(new AuditQuery(AuditAction.EXECUTE_JOB, null, null, null, null, null,
                    null, before, 3));
            if (page.isEmpty()) {
                break;
            }
            sizes.add(page.size());
            paged.addAll(entries(page));
            before = page.get(page.size() - 1).seq();
        }

        assertEquals(List.of(3, 3, 1), sizes);
        List<AuditEntry> newestFirst = new ArrayList<>(all);
        Collections.reverse(newestFirst);
        assertEquals(newestFirst, paged);
    }

    @Test
    void aQueryLimitIsBounded() {
        assertThrows(IllegalArgumentException.class, () -> AuditQuery.newest(0));
        assertThrows(IllegalArgumentException.class, () -> AuditQuery.newest(AuditQuery.MAX_LIMIT + 1));
    }

    @Test
    void purgeDeletesWhatIsOlderThanKeptInBatches() throws SQLException {
        List<AuditEntry> entries = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            entries.add(new AuditEntry(AuditAction.EXECUTE_JOB, "crm-sync", "10.0.0.7", "7", "job-" + i, "OK", null));
        }
        store.insert(entries);
        long now = rows.storeNow();
        List<Long> seqs = rows.queryLongs("SELECT seq FROM il_audit ORDER BY seq");
        for (int i = 0; i < seqs.size(); i++) {
            if (i % 4 != 0) {
                // 17 old records, their times in another order than their seqs
                rows.update("UPDATE il_audit SET at_millis = ? WHERE seq = ?",
                        now - 91 * DAY - (i * 7 % seqs.size()) * MINUTE, seqs.get(i));
            }
        }
        rows.update("UPDATE il_audit SET at_millis = ? WHERE seq = ?", now - 89 * DAY, seqs.get(8));

        assertEquals(17, store.purge(90 * DAY, 5), "in four batches, the last of two");

        assertEquals(6, rows.queryLong("SELECT COUNT(*) FROM il_audit"));
        assertEquals(0, rows.queryLong("SELECT COUNT(*) FROM il_audit WHERE at_millis < ?", now - 90 * DAY));
        assertEquals(1, rows.queryLong("SELECT COUNT(*) FROM il_audit WHERE at_millis = ?", now - 89 * DAY),
                "one day younger than kept: still there");
        assertEquals(0, store.purge(90 * DAY, 5), "nothing left to delete");
    }

    @Test
    void purgeEndsOnABatchThatIsExactlyFull() throws SQLException {
        store.insert(List.of(STARTED, STOPPED, REFUSED, ISSUED));
        rows.update("UPDATE il_audit SET at_millis = at_millis - ?", 2 * DAY);

        assertEquals(4, store.purge(DAY, 2));
        assertEquals(0, rows.queryLong("SELECT COUNT(*) FROM il_audit"));
        assertEquals(0, store.purge(DAY, 1));
    }

    @Test
    void aRowOfAnActionThisVersionDoesNotKnowIsLeftOut() throws SQLException {
        store.insert(List.of(STARTED));
        rows.update("INSERT INTO il_audit (at_millis, action, who, remote_address, outcome) VALUES (?, ?, ?, ?, ?)",
                rows.storeNow(), "console.somethingNew", "alice", "10.0.0.1", "OK");
        store.insert(List.of(STOPPED));

        assertEquals(List.of(STOPPED, STARTED), entries(store.list(AuditQuery.newest(10))));
    }

    @Test
    void aStoreThatCannotBeReachedSaysSo() throws SQLException {
        BasicDataSource gone = TestStores.migrated(database());
        JdbcAuditStore goneStore = new JdbcAuditStore(gone);
        gone.close();

        assertThrows(StoreUnavailableException.class, () -> goneStore.insert(List.of(STARTED)));
        assertThrows(StoreUnavailableException.class, () -> goneStore.list(AuditQuery.newest(1)));
        assertThrows(StoreUnavailableException.class, () -> goneStore.purge(DAY, 10));
    }

    private static List<AuditEntry> entries(List<AuditRecord> records) {
        return records.stream().map(AuditRecord::entry).toList();
    }
}
