package org.openinfolink.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.apache.commons.dbcp2.BasicDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openinfolink.auth.TokenStore;
import org.openinfolink.engine.ResultOutput;
import org.openinfolink.engine.StepTrace;
import org.openinfolink.job.JobQuery;
import org.openinfolink.job.JobRecord;
import org.openinfolink.job.JobRequest;
import org.openinfolink.job.JobState;
import org.openinfolink.job.JobStore;
import org.openinfolink.job.NamedThreadFactory;
import org.openinfolink.job.ResultInfo;
import org.openinfolink.job.RunEndedException;
import org.openinfolink.job.StopOutcome;
import org.openinfolink.job.StoreUnavailableException;
import org.openinfolink.json.Json;
import org.openinfolink.scenario.Concurrency;
import org.openinfolink.sql.ColumnInfo;
import org.openinfolink.sql.SqlDialect;
import org.openinfolink.sql.StandardType;
import org.openinfolink.testdb.DatabaseServer;
import org.openinfolink.testdb.TestDatabase;
import org.openinfolink.testsupport.Poll;
import org.openinfolink.testsupport.TestStores;

/**
 * The job store's own suite: {@link JdbcJobStore}, its migrations and {@link JdbcVariableStore}
 * on a fresh migrated database of one kind, emptied before every test, driven through the
 * {@link JobStore} contract and checked with plain SQL where the contract speaks of rows. One
 * database per class, not per test: a PostgreSQL database is 8 MB of files copied from its
 * template. The migration tests make databases of their own. Result sets are kept in chunks of
 * {@value #CHUNK_BYTES} bytes so that every set spans many chunks.
 *
 * <p>Each subclass names its database; the suite needs nothing else from it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JobStoreSuite {

    /** So small that a result set of a few records spans many chunks and a UTF-8 character is split. */
    static final int CHUNK_BYTES = 7;

    /** How long a concurrent test waits for its threads. */
    static final long THREADS_WAIT_SECONDS = 60;

    /** How far the JVM's clock and the store's may be apart; the servers run on this machine. */
    static final long CLOCK_SLACK_MILLIS = 2_000;

    static final long MINUTE = 60_000;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    static final String APP = "app-1";
    static final String NODE_A = "node-a";
    static final String NODE_B = "node-b";

    static final Set<String> STORE_TABLES = Set.of("il_job", "il_job_step", "il_job_result", "il_result_chunk",
            "il_variable", "il_node", "il_schedule", "il_token", "il_audit", "il_schema_history");

    /** The columns of the result sets most tests write. */
    static final List<ColumnInfo> COLUMNS = List.of(
            column("id", "integer", StandardType.INTEGER, Types.INTEGER),
            column("name", "character varying", StandardType.TEXT, Types.VARCHAR));

    private BasicDataSource pool;
    private JdbcJobStore store;
    private JdbcVariableStore variables;
    private JdbcTokenStore tokens;
    private StoreRows rows;

    /** The database kind under test. */
    abstract TestDatabase database();

    @BeforeAll
    void openStore() {
        pool = TestStores.migrated(database());
        store = new JdbcJobStore(pool, CHUNK_BYTES);
        variables = new JdbcVariableStore(pool);
        tokens = new JdbcTokenStore(pool);
        rows = new StoreRows(pool);
    }

    /** Every test starts from an empty store, as freshly migrated (sequences aside). */
    @BeforeEach
    void emptyStore() throws SQLException {
        rows.execute(STORE_TABLES.stream().filter(table -> !table.equals("il_schema_history"))
                .map(table -> "DELETE FROM " + table).toArray(String[]::new));
    }

    @AfterAll
    void closeStore() throws SQLException {
        pool.close();
    }

    // ---- migrations ----------------------------------------------------------------------------

    @Test
    void migratingAgainAppliesNothing() throws SQLException {
        List<String> before = rows.history();
        assertTrue(before.contains("SQL 1 true"), "version 1 applied: " + before);
        assertTrue(before.contains("SQL 3 true"), "version 3 (tokens) applied: " + before);
        assertTrue(before.contains("SQL 5 true"), "version 5 (audit) applied: " + before);

        StoreMigrations.migrate(pool, "second run");

        assertEquals(before, rows.history());
        assertEquals(STORE_TABLES, rows.tables());
    }

    @Test
    void everyTableOfTheStoreStartsWithIl() throws SQLException {
        Set<String> tables = rows.tables();
        assertEquals(STORE_TABLES, tables);
        assertTrue(tables.stream().allMatch(name -> name.startsWith("il_")), tables.toString());
        assertEquals("il_schema_history", StoreMigrations.HISTORY_TABLE);
    }

    @Test
    void aDatabaseWithOtherTablesIsBaselinedAndGetsTheStoreTables() throws SQLException {
        DatabaseServer shared = database().server().createDatabase("store_shared");
        try (BasicDataSource sharedPool = shared.newPool()) {
            StoreRows sharedRows = new StoreRows(sharedPool);
            sharedRows.execute("CREATE TABLE customer (id INTEGER PRIMARY KEY, name VARCHAR(20))",
                    "INSERT INTO customer (id, name) VALUES (1, 'Ann')");

            StoreMigrations.migrate(sharedPool, "shared test store");

            Set<String> expected = new TreeSet<>(STORE_TABLES);
            expected.add("customer");
            assertEquals(expected, sharedRows.tables());
            List<String> history = sharedRows.history();
            int baseline = history.indexOf("BASELINE 0 true");
            assertTrue(baseline >= 0 && baseline < history.indexOf("SQL 1 true"), "baselined, then V1: " + history);
            assertEquals(1, sharedRows.queryLong("SELECT COUNT(*) FROM customer WHERE name = 'Ann'"));

            JdbcJobStore sharedStore = new JdbcJobStore(sharedPool, CHUNK_BYTES);
            assertTrue(sharedStore.insert(request(APP, "first"), null).created());
            assertEquals(1, sharedStore.countQueued());
        }
    }

    @Test
    void aSchemaThatCannotBeMigratedStopsWithAMessageNamingTheStore() throws SQLException {
        DatabaseServer clash = database().server().createDatabase("store_clash");
        try (BasicDataSource clashPool = clash.newPool()) {
            new StoreRows(clashPool).execute("CREATE TABLE il_job (id INTEGER PRIMARY KEY)");

            IllegalStateException failure = assertThrows(IllegalStateException.class,
                    () -> StoreMigrations.migrate(clashPool, "clash test store"));

            assertTrue(failure.getMessage().startsWith("The job store (clash test store) cannot be migrated: "),
                    failure.getMessage());
        }
    }

    @Test
    void sharedOnEveryDatabaseButH2() {
        assertEquals(database() != TestDatabase.H2, store.isShared());
    }

    @Test
    void aStoreThatCannotBeReachedSaysSoWithoutItsUrl() throws SQLException {
        BasicDataSource gone = TestStores.migrated(database());
        JdbcJobStore goneStore = new JdbcJobStore(gone, CHUNK_BYTES);
        JdbcVariableStore goneVariables = new JdbcVariableStore(gone);
        gone.close();

        StoreUnavailableException failure = assertThrows(StoreUnavailableException.class,
                () -> goneStore.find(APP, "any"));

        assertEquals("The job store cannot be used now; retry later.", failure.getMessage());
        assertThrows(StoreUnavailableException.class, () -> goneVariables.get(APP, "region"));
    }

    // ---- insert and find -----------------------------------------------------------------------

    @Test
    void insertQueuesAJobStampedByTheStoreClock() throws SQLException {
        Instant jvmBefore = Instant.now();
        long before = rows.storeNow();
        String operation = "{\"opName\":\"RunScenario\",\"params\":{\"city\":\"Zürich 東京\",\"pad\":\""
                + "x".repeat(20_000) + "\"},\"scenario\":\"Load\"}";
        JobRequest request = new JobRequest(APP, "job-1", "crm-sync", "Load", "RunScenario", operation, 90, true);

        JobStore.Insertion insertion = store.insert(request, null);

        long after = rows.storeNow();
        Instant jvmAfter = Instant.now();
        assertTrue(insertion.created());
        JobRecord job = insertion.job();
        assertEquals(request, job.request());
        assertEquals(JobState.QUEUED, job.state());
        assertEquals(0, job.attempt());
        assertNull(job.nodeId());
        assertNull(job.startedAt());
        assertNull(job.finishedAt());
        assertNull(job.message());
        assertNull(job.progress());
        assertBetween(before, job.submittedAt(), after);
        assertCloseTo(jvmBefore, job.submittedAt(), jvmAfter);
        assertEquals(job, store.find(APP, "job-1").orElseThrow());
    }

    @Test
    void insertOnANodeStartsTheFirstAttempt() throws SQLException {
        long before = rows.storeNow();

        JobRecord job = store.insert(request(APP, "job-1"), NODE_A).job();

        long after = rows.storeNow();
        assertEquals(JobState.RUNNING, job.state());
        assertEquals(1, job.attempt());
        assertEquals(NODE_A, job.nodeId());
        assertBetween(before, job.submittedAt(), after);
        assertBetween(job.submittedAt().toEpochMilli(), job.startedAt(), after);
        assertNull(job.finishedAt());
        assertEquals(0, store.countQueued());
        assertEquals(job, store.find(APP, "job-1").orElseThrow());
    }

    @Test
    void aSecondInsertOfAnIdReturnsTheJobAndChangesNothing() {
        JobRecord first = store.insert(request(APP, "job-1"), null).job();
        JobRequest other = new JobRequest(APP, "job-1", "someone-else", "Report", "RunScenario",
                "{\"opName\":\"RunScenario\",\"scenario\":\"Report\"}", 5, true);

        JobStore.Insertion again = store.insert(other, NODE_A);

        assertFalse(again.created());
        assertEquals(first, again.job());
        assertEquals(first, store.find(APP, "job-1").orElseThrow());
        assertEquals(1, store.countQueued());
        assertEquals(List.of(first), store.list(all(100)));
    }

    @Test
    void concurrentInsertsOfOneIdCreateOneJob() throws Exception {
        int ids = 25;

        List<List<JobStore.Insertion>> byThread = concurrently(4, thread -> () -> {
            List<JobStore.Insertion> mine = new ArrayList<>();
            for (int i = 0; i < ids; i++) {
                mine.add(store.insert(request(APP, "job-" + i), thread == 0 ? null : "node-" + thread));
            }
            return mine;
        });

        for (int i = 0; i < ids; i++) {
            JobRecord stored = store.find(APP, "job-" + i).orElseThrow();
            int created = 0;
            for (List<JobStore.Insertion> insertions : byThread) {
                JobStore.Insertion insertion = insertions.get(i);
                created += insertion.created() ? 1 : 0;
                assertEquals(stored.seq(), insertion.job().seq(), stored.jobId());
            }
            assertEquals(1, created, "job-" + i + " created once");
        }
        assertEquals(ids, store.list(all(100)).size());
    }

    @Test
    void theSameIdInAnotherAppIsAnotherJob() {
        JobRecord one = store.insert(request("app-1", "job-1"), null).job();

        JobStore.Insertion two = store.insert(request("app-2", "job-1"), null);

        assertTrue(two.created());
        assertNotEquals(one.seq(), two.job().seq());
        assertEquals("app-2", store.find("app-2", "job-1").orElseThrow().appId());
        assertEquals(one, store.find("app-1", "job-1").orElseThrow());
        assertEquals(2, store.countQueued());
    }

    @Test
    void jobIdsCompareExactly() {
        JobRecord upper = store.insert(request(APP, "ABC"), null).job();

        JobStore.Insertion lower = store.insert(request(APP, "abc"), null);

        assertTrue(lower.created(), "abc is not ABC");
        assertNotEquals(upper.seq(), lower.job().seq());
        assertEquals(upper.seq(), store.find(APP, "ABC").orElseThrow().seq());
        assertEquals(lower.job().seq(), store.find(APP, "abc").orElseThrow().seq());
        assertTrue(store.find(APP, "Abc").isEmpty());
        assertTrue(store.find("APP-1", "ABC").isEmpty());
    }

    /**
     * A container pool may hand out connections with auto-commit off ({@code defaultAutoCommit="false"}
     * on a Tomcat {@code <Resource>}) and roll back what is left open when one is returned.
     */
    @Test
    void everyWriteIsCommittedOnAPoolWhoseConnectionsDoNotAutoCommit() throws Exception {
        try (BasicDataSource manual = new BasicDataSource()) {
            manual.setDriverClassName(pool.getDriverClassName());
            manual.setUrl(pool.getUrl());
            manual.setUsername(pool.getUsername());
            manual.setPassword(pool.getPassword());
            manual.setDefaultAutoCommit(false);
            manual.setRollbackOnReturn(true);
            JdbcJobStore manualStore = new JdbcJobStore(manual, CHUNK_BYTES);
            JdbcVariableStore manualVariables = new JdbcVariableStore(manual);

            JobRecord job = manualStore.insert(request(APP, "job-1"), NODE_A).job();
            assertFalse(manualStore.insert(request(APP, "job-1"), null).created());
            manualStore.addStep(job, 1, new StepTrace("1", "Load", "Transform", "completed",
                    Instant.ofEpochMilli(1000), Instant.ofEpochMilli(2000), 4L, List.of(), null));
            ResultOutput output = manualStore.newResult(job, 1, "people", COLUMNS);
            output.records().write(records(4));
            output.complete(4);
            assertTrue(manualStore.finish(job.seq(), NODE_A, JobState.COMPLETED, null).isPresent());
            manualStore.registerNode(NODE_A);
            manualVariables.set(APP, "region", "EU");
            manualStore.insert(request(APP, "job-2"), null);
            assertEquals(1, manualStore.claim(NODE_B, 1).size());

            assertEquals(JobState.COMPLETED, store.find(APP, "job-1").orElseThrow().state());
            assertEquals(NODE_B, store.find(APP, "job-2").orElseThrow().nodeId());
            assertEquals(1, store.steps(job.seq()).size());
            try (InputStream in = store.openRecords(job.seq(), 1)) {
                assertArrayEquals(records(4), in.readAllBytes());
            }
            assertTrue(store.heartbeat(NODE_A));
            assertEquals("EU", variables.get(APP, "region").orElseThrow());
            try (Connection connection = manual.getConnection()) {
                assertFalse(connection.getAutoCommit(), "the pool's connections are handed back as they were lent");
            }
        }
    }

    @Test
    void findOfAnUnknownJobIsEmpty() {
        store.insert(request(APP, "job-1"), null);

        assertTrue(store.find(APP, "job-2").isEmpty());
        assertTrue(store.find("app-2", "job-1").isEmpty());
    }

    // ---- claim, finish, requeue ----------------------------------------------------------------

    @Test
    void claimTakesTheOldestQueuedJobsUpToMax() throws SQLException {
        List<JobRecord> queued = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            queued.add(store.insert(request(i % 2 == 0 ? "app-2" : APP, "job-" + i), null).job());
        }
        store.insert(request(APP, "running"), NODE_B);

        long before = rows.storeNow();
        List<JobRecord> first = store.claim(NODE_A, 2);
        long after = rows.storeNow();

        assertEquals(List.of(queued.get(0).seq(), queued.get(1).seq()), seqs(first));
        for (JobRecord job : first) {
            assertEquals(JobState.RUNNING, job.state());
            assertEquals(1, job.attempt());
            assertEquals(NODE_A, job.nodeId());
            assertBetween(before, job.startedAt(), after);
            assertEquals(job, store.find(job.appId(), job.jobId()).orElseThrow());
        }
        assertEquals(3, store.countQueued());

        List<JobRecord> rest = store.claim(NODE_B, 10);
        assertEquals(seqs(queued.subList(2, 5)), seqs(rest));
        assertTrue(rest.stream().allMatch(job -> NODE_B.equals(job.nodeId())));
        assertEquals(List.of(), store.claim(NODE_A, 10));
        assertEquals(0, store.countQueued());
    }

    @Test
    void claimOfNoneClaimsNothing() {
        store.insert(request(APP, "job-1"), null);

        assertEquals(List.of(), store.claim(NODE_A, 0));
        assertEquals(1, store.countQueued());
    }

    @Test
    void everyClaimCountsAnAttempt() {
        JobRecord job = store.insert(request(APP, "job-1", true), null).job();

        for (int attempt = 1; attempt <= 3; attempt++) {
            JobRecord claimed = store.claim(NODE_A, 1).get(0);
            assertEquals(job.seq(), claimed.seq());
            assertEquals(attempt, claimed.attempt());
            assertTrue(store.requeue(job.seq(), NODE_A));
        }
        assertEquals(3, store.find(APP, "job-1").orElseThrow().attempt());
    }

    @Test
    void concurrentClaimersClaimEveryJobExactlyOnce() throws Exception {
        int jobs = 200;
        for (int i = 0; i < jobs; i++) {
            store.insert(request(APP, "job-" + i), null);
        }

        List<List<JobRecord>> claimedByThread = concurrently(4, thread -> () -> {
            String node = "node-" + thread;
            List<JobRecord> mine = new ArrayList<>();
            while (true) {
                List<JobRecord> claimed = store.claim(node, 3);
                if (claimed.isEmpty()) {
                    return mine;
                }
                mine.addAll(claimed);
            }
        });

        Map<Long, String> claimers = new HashMap<>();
        for (int thread = 0; thread < claimedByThread.size(); thread++) {
            for (JobRecord job : claimedByThread.get(thread)) {
                String earlier = claimers.put(job.seq(), job.nodeId());
                assertNull(earlier, "job " + job.jobId() + " claimed by " + earlier + " and " + job.nodeId());
                assertEquals("node-" + thread, job.nodeId());
                assertEquals(1, job.attempt());
            }
        }
        assertEquals(jobs, claimers.size());
        assertEquals(0, store.countQueued());
        for (JobRecord job : store.list(all(jobs))) {
            assertEquals(JobState.RUNNING, job.state());
            assertEquals(1, job.attempt(), job.jobId());
            assertEquals(claimers.get(job.seq()), job.nodeId(), job.jobId());
        }
    }

    // ---- scenario concurrency and client shares ---------------------------------------------

    @Test
    void aClaimRunsNoMoreJobsOfAScenarioThanItsSlotsAcrossNodes() throws SQLException {
        JobRecord load1 = store.insert(limited("load-1", 1, false), null).job();
        JobRecord load2 = store.insert(limited("load-2", 1, false), null).job();
        JobRecord other = store.insert(request(APP, "other"), null).job();

        List<JobRecord> onA = store.claim(NODE_A, 10);
        assertEquals(Set.of("load-1", "other"), Set.copyOf(ids(onA)), "the second Load job waits for the slot");
        assertEquals(List.of(), store.claim(NODE_B, 10), "no node may run it while the slot is held");
        assertEquals(0, rows.queryLong("SELECT slot_no FROM il_job WHERE seq = ?", load1.seq()));
        assertEquals(JobState.QUEUED, store.find(APP, "load-2").orElseThrow().state());

        assertTrue(store.finish(load1.seq(), NODE_A, JobState.COMPLETED, null).isPresent());
        assertEquals(0, rows.queryLong("SELECT COUNT(*) FROM il_job WHERE slot_no IS NOT NULL"),
                "a job gives its slot back as it ends");
        List<JobRecord> onB = store.claim(NODE_B, 10);
        assertEquals(List.of("load-2"), ids(onB));
        assertEquals(NODE_B, onB.get(0).nodeId());
        assertEquals(1, onB.get(0).attempt());
        assertEquals(new Concurrency(1, Concurrency.WhenBusy.QUEUE), onB.get(0).request().concurrency());
        assertEquals(JobState.RUNNING, store.find(APP, other.jobId()).orElseThrow().state());
        assertEquals(load2.seq(), onB.get(0).seq());
    }

    @Test
    void aJobWaitingForASlotHoldsUpNoJobBehindIt() {
        store.insert(limited("load-1", 1, false), NODE_A, true);
        store.insert(limited("load-2", 1, false), null);
        store.insert(limited("load-3", 1, false), null);
        store.insert(request(APP, "later"), null);

        assertEquals(List.of("later"), ids(store.claim(NODE_B, 1)),
                "the oldest queued jobs wait for Load's slot; the next one runs");
    }

    @Test
    void concurrentClaimersNeverRunMoreJobsOfAScenarioThanItsSlots() throws Exception {
        for (int i = 0; i < 40; i++) {
            store.insert(limited("load-" + i, 2, false), null);
        }
        List<List<JobRecord>> claimedByThread = concurrently(4, thread -> () -> {
            List<JobRecord> mine = new ArrayList<>();
            for (int round = 0; round < 20; round++) {
                mine.addAll(store.claim("node-" + thread, 3));
            }
            return mine;
        });

        long claimed = claimedByThread.stream().mapToLong(List::size).sum();
        assertEquals(2, claimed, "two slots, two jobs running, whoever claimed them");
        assertEquals(2, rows.queryLong("SELECT COUNT(*) FROM il_job WHERE state = 'running'"));
        assertEquals(Set.of(0L, 1L), Set.copyOf(rows.queryLongs("SELECT slot_no FROM il_job WHERE slot_no IS NOT NULL")));
    }

    @Test
    void aTransactionTheDatabaseRollsBackToBreakADeadlockRunsAgain() throws Exception {
        long[] seqs = {store.insert(request(APP, "first"), null).job().seq(),
                store.insert(request(APP, "second"), null).job().seq()};
        StoreDatabase database = StoreDatabase.of(pool);
        CyclicBarrier bothHoldARow = new CyclicBarrier(2);
        AtomicInteger runs = new AtomicInteger();
        // each thread locks its own row, then, once both hold one, the other's: a deadlock
        List<Integer> done = concurrently(2, thread -> () -> database.inTransaction(connection -> {
            boolean firstRun = runs.incrementAndGet() <= 2;
            touch(connection, seqs[thread], "locked by " + thread);
            if (firstRun) {
                awaitQuietly(bothHoldARow);
            }
            touch(connection, seqs[1 - thread], "then by " + thread);
            return thread;
        }));

        assertEquals(List.of(0, 1), done, "both transactions committed");
        assertEquals(3, runs.get(), "the deadlock's victim ran once more");
        assertEquals(1, rows.queryLong("SELECT COUNT(DISTINCT message) FROM il_job WHERE message LIKE 'then by %'"),
                "the second to commit wrote both rows last");
    }

    private static void touch(Connection connection, long seq, String message) throws SQLException {
        try (var update = connection.prepareStatement("UPDATE il_job SET message = ? WHERE seq = ?")) {
            update.setString(1, message);
            update.setLong(2, seq);
            assertEquals(1, update.executeUpdate());
        }
    }

    private static void awaitQuietly(CyclicBarrier barrier) {
        try {
            barrier.await(THREADS_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anInsertTakingASlotTakesAFreeOneOrStoresNothing() {
        JobStore.Insertion first = store.insert(limited("load-1", 1, true), NODE_A, true);
        assertTrue(first.created());
        assertEquals(JobState.RUNNING, first.job().state());

        JobStore.Insertion busy = store.insert(limited("load-2", 1, true), null, true);
        assertTrue(busy.noSlot());
        assertTrue(store.find(APP, "load-2").isEmpty(), "nothing is stored without a slot");

        JobStore.Insertion retry = store.insert(limited("load-1", 1, true), NODE_A, true);
        assertFalse(retry.created());
        assertEquals(first.job().seq(), retry.job().seq(), "a retry of an id gets its job, busy or not");

        assertTrue(store.finish(first.job().seq(), NODE_A, JobState.COMPLETED, null).isPresent());
        JobStore.Insertion queued = store.insert(limited("load-2", 1, true), null, true);
        assertTrue(queued.created());
        assertEquals(JobState.QUEUED, queued.job().state(), "a queued job may hold its slot while it waits");
        assertEquals(List.of("load-2"), ids(store.claim(NODE_B, 5)), "and is claimed with it");
    }

    @Test
    void concurrentInsertsTakingSlotsStoreNoMoreJobsThanSlots() throws Exception {
        List<List<Boolean>> created = concurrently(4, thread -> () -> {
            List<Boolean> mine = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                mine.add(store.insert(limited("load-" + thread + "-" + i, 3, true), "node-" + thread, true).created());
            }
            return mine;
        });
        assertEquals(3, created.stream().flatMap(List::stream).filter(Boolean::booleanValue).count());
        assertEquals(3, rows.queryLong("SELECT COUNT(*) FROM il_job"));
    }

    @Test
    void everyWayOutOfRunningGivesTheSlotBack() throws SQLException {
        JobRecord stopped = store.insert(limited("queued-with-slot", 3, true), null, true).job();
        assertTrue(store.requestStop(APP, stopped.jobId()).isPresent());
        JobRecord requeued = store.insert(limited("requeued", 3, true), NODE_A, true).job();
        assertTrue(store.requeue(requeued.seq(), NODE_A));
        JobRecord resolved = store.insert(limited("on-a-dead-node", 3, true), NODE_B, true).job();
        store.registerNode(NODE_B);
        store.resolveNode(NODE_B, "Interrupted: node node-b stopped responding.", 3, true);

        assertEquals(0, rows.queryLong("SELECT COUNT(*) FROM il_job WHERE slot_no IS NOT NULL"));
        assertEquals(JobState.STOPPED, store.find(APP, resolved.jobId()).orElseThrow().state());
    }

    @Test
    void countQueuedTellsAClientsShareOfTheQueue() {
        store.insert(request(APP, "a1"), null);
        store.insert(request(APP, "a2"), null);
        store.insert(request(APP, "running"), NODE_A);
        store.insert(new JobRequest(APP, "b1", "other-client", "Main", "RunScenario", "{}", 60, false), null);

        assertEquals(new JobStore.QueueCounts(3, 2), store.countQueued("crm-sync"));
        assertEquals(new JobStore.QueueCounts(3, 1), store.countQueued("other-client"));
        assertEquals(new JobStore.QueueCounts(3, 0), store.countQueued("nobody"));
    }

    @Test
    void finishEndsAJobOnlyOnItsNodeAndClearsItsProgress() throws SQLException {
        JobRecord job = store.insert(request(APP, "job-1"), NODE_A).job();
        store.progress(job.seq(), new JobRecord.Progress(2, 3, "Load"));

        assertFalse(store.finish(job.seq(), NODE_B, JobState.COMPLETED, null).isPresent());
        assertEquals(JobState.RUNNING, store.find(APP, "job-1").orElseThrow().state());

        long before = rows.storeNow();
        JobRecord ended = store.finish(job.seq(), NODE_A, JobState.COMPLETED_WITH_ERROR, "Step 2 failed: boom")
                .orElseThrow();
        long after = rows.storeNow();

        JobRecord finished = store.find(APP, "job-1").orElseThrow();
        assertEquals(finished, ended, "finish answers the job as the store now has it");
        assertEquals(JobState.COMPLETED_WITH_ERROR, finished.state());
        assertEquals("Step 2 failed: boom", finished.message());
        assertBetween(before, finished.finishedAt(), after);
        assertNull(finished.progress());
        assertEquals(job.startedAt(), finished.startedAt());

        assertFalse(store.finish(job.seq(), NODE_A, JobState.COMPLETED, null).isPresent(), "finished already");
        assertEquals(finished, store.find(APP, "job-1").orElseThrow());
    }

    @Test
    void finishWritesTheTraceAndResultsItIsGivenWithTheEnd() throws Exception {
        JobRecord job = store.insert(request(APP, "job-1"), NODE_A).job();
        byte[] records = records(6);
        StepTrace step = new StepTrace("1", "Load", "Transform", "completed", Instant.ofEpochMilli(1000),
                Instant.ofEpochMilli(2000), 6L, List.of(), null);
        JobStore.Written written = new JobStore.Written(List.of(new JobStore.Written.Step(1, step)),
                List.of(new JobStore.Written.Result(1, "people", COLUMNS, records, 6)));

        assertTrue(store.finish(job.seq(), NODE_A, JobState.COMPLETED, null, written).isPresent());

        assertEquals(List.of(step), store.steps(job.seq()));
        ResultInfo result = store.results(job.seq()).get(0);
        assertEquals("people", result.name());
        assertEquals(6, result.rows());
        assertSchema(result.schemaJson());
        try (InputStream in = store.openRecords(job.seq(), 1)) {
            assertArrayEquals(records, in.readAllBytes());
        }
        assertEquals((records.length + CHUNK_BYTES - 1) / CHUNK_BYTES,
                rows.queryLong("SELECT COUNT(*) FROM il_result_chunk WHERE job_seq = ?", job.seq()));
    }

    @Test
    void finishOnAnotherNodeKeepsNothingOfWhatItIsGiven() throws Exception {
        JobRecord job = store.insert(request(APP, "job-1"), NODE_A).job();
        StepTrace step = new StepTrace("1", "Load", "Transform", "completed", Instant.ofEpochMilli(1000),
                Instant.ofEpochMilli(2000), 1L, List.of(), null);
        JobStore.Written written = new JobStore.Written(List.of(new JobStore.Written.Step(1, step)),
                List.of(new JobStore.Written.Result(1, "people", COLUMNS, records(1), 1)));

        assertFalse(store.finish(job.seq(), NODE_B, JobState.COMPLETED, null, written).isPresent());

        assertEquals(JobState.RUNNING, store.find(APP, "job-1").orElseThrow().state());
        assertEquals(List.of(), store.steps(job.seq()));
        assertEquals(List.of(), store.results(job.seq()));
        assertEquals(0, rows.queryLong("SELECT COUNT(*) FROM il_result_chunk WHERE job_seq = ?", job.seq()));
    }

    @Test
    void finishOfAQueuedJobDoesNothing() {
        JobRecord job = store.insert(request(APP, "job-1"), null).job();

        assertFalse(store.finish(job.seq(), NODE_A, JobState.COMPLETED, null).isPresent());

        assertEquals(job, store.find(APP, "job-1").orElseThrow());
    }

    @Test
    void aJobBeingStoppedIsFinishedByItsNode() {
        JobRecord job = store.insert(request(APP, "job-1"), NODE_A).job();
        store.requestStop(APP, "job-1");

        assertFalse(store.finish(job.seq(), NODE_B, JobState.STOPPED, "Stopped by request").isPresent());
        assertTrue(store.finish(job.seq(), NODE_A, JobState.STOPPED, "Stopped by request").isPresent());

        JobRecord stopped = store.find(APP, "job-1").orElseThrow();
        assertEquals(JobState.STOPPED, stopped.state());
        assertEquals("Stopped by request", stopped.message());
    }

    @Test
    void requeueQueuesAJobAgainOnlyFromItsNode() {
        JobRecord job = store.insert(request(APP, "job-1", true), NODE_A).job();
        store.progress(job.seq(), new JobRecord.Progress(1, 2, "Load"));

        assertFalse(store.requeue(job.seq(), NODE_B));
        assertEquals(JobState.RUNNING, store.find(APP, "job-1").orElseThrow().state());

        assertTrue(store.requeue(job.seq(), NODE_A));

        JobRecord queued = store.find(APP, "job-1").orElseThrow();
        assertEquals(JobState.QUEUED, queued.state());
        assertNull(queued.nodeId());
        assertNull(queued.startedAt());
        assertNull(queued.progress());
        assertEquals(1, queued.attempt());
        assertEquals(job.submittedAt(), queued.submittedAt());
        assertEquals(1, store.countQueued());
        assertFalse(store.requeue(job.seq(), NODE_A), "queued already");
    }

    @Test
    void requeueLeavesFinishedAndStoppingJobsAlone() {
        JobRecord done = store.insert(request(APP, "done", true), NODE_A).job();
        store.finish(done.seq(), NODE_A, JobState.COMPLETED, null);
        JobRecord stopping = store.insert(request(APP, "stopping", true), NODE_A).job();
        store.requestStop(APP, "stopping");

        assertFalse(store.requeue(done.seq(), NODE_A));
        assertFalse(store.requeue(stopping.seq(), NODE_A), "a job asked to stop is not run again");

        assertEquals(JobState.COMPLETED, store.find(APP, "done").orElseThrow().state());
        assertEquals(JobState.STOPPING, store.find(APP, "stopping").orElseThrow().state());
        assertEquals(0, store.countQueued());
    }

    // ---- stop ----------------------------------------------------------------------------------

    @Test
    void aQueuedJobStopsAtOnce() throws SQLException {
        store.insert(request(APP, "job-1"), null);

        long before = rows.storeNow();
        JobStore.StopResult stop = store.requestStop(APP, "job-1").orElseThrow();
        long after = rows.storeNow();

        assertEquals(StopOutcome.STOP_STARTED, stop.outcome());
        assertEquals(JobState.STOPPED, stop.job().state());
        assertEquals("Stopped by request", stop.job().message());
        assertBetween(before, stop.job().finishedAt(), after);
        assertEquals(stop.job(), store.find(APP, "job-1").orElseThrow());
        assertEquals(0, store.countQueued());
        assertEquals(List.of(), store.claim(NODE_A, 1));

        JobStore.StopResult again = store.requestStop(APP, "job-1").orElseThrow();
        assertEquals(StopOutcome.ALREADY_COMPLETED, again.outcome());
        assertEquals(stop.job(), again.job());
    }

    @Test
    void aRunningJobMovesToStoppingForItsNodeToSee() {
        JobRecord job = store.insert(request(APP, "job-1"), NODE_A).job();

        JobStore.StopResult stop = store.requestStop(APP, "job-1").orElseThrow();

        assertEquals(StopOutcome.STOP_STARTED, stop.outcome());
        assertEquals(JobState.STOPPING, stop.job().state());
        assertEquals(NODE_A, stop.job().nodeId());
        assertNull(stop.job().finishedAt());
        assertEquals(List.of(job.seq()), store.stopsRequested(NODE_A));

        JobStore.StopResult again = store.requestStop(APP, "job-1").orElseThrow();
        assertEquals(StopOutcome.ALREADY_BEING_STOPPED, again.outcome());
        assertEquals(JobState.STOPPING, again.job().state());

        assertTrue(store.finish(job.seq(), NODE_A, JobState.STOPPED, "Stopped by request").isPresent());
        assertEquals(List.of(), store.stopsRequested(NODE_A));
        assertEquals(StopOutcome.ALREADY_COMPLETED, store.requestStop(APP, "job-1").orElseThrow().outcome());
    }

    @Test
    void aFinishedJobIsAlreadyCompleted() {
        JobRecord job = store.insert(request(APP, "job-1"), NODE_A).job();
        store.finish(job.seq(), NODE_A, JobState.COMPLETED, null);
        JobRecord finished = store.find(APP, "job-1").orElseThrow();

        JobStore.StopResult stop = store.requestStop(APP, "job-1").orElseThrow();

        assertEquals(StopOutcome.ALREADY_COMPLETED, stop.outcome());
        assertEquals(finished, stop.job());
        assertEquals(finished, store.find(APP, "job-1").orElseThrow());
    }

    @Test
    void stopOfAnUnknownJobIsEmpty() {
        store.insert(request(APP, "job-1"), null);

        assertTrue(store.requestStop(APP, "job-2").isEmpty());
        assertTrue(store.requestStop("app-2", "job-1").isEmpty());
        assertEquals(1, store.countQueued());
    }

    @Test
    void stopsRequestedListsTheStoppingJobsOfOneNode() {
        JobRecord a1 = store.insert(request(APP, "a1"), NODE_A).job();
        store.insert(request(APP, "a2"), NODE_A);
        JobRecord a3 = store.insert(request("app-2", "a3"), NODE_A).job();
        JobRecord b1 = store.insert(request(APP, "b1"), NODE_B).job();
        store.insert(request(APP, "queued"), null);
        for (String jobId : List.of("a1", "b1", "queued")) {
            store.requestStop(APP, jobId);
        }
        store.requestStop("app-2", "a3");

        assertEquals(Set.of(a1.seq(), a3.seq()), Set.copyOf(store.stopsRequested(NODE_A)));
        assertEquals(List.of(b1.seq()), store.stopsRequested(NODE_B));
        assertEquals(List.of(), store.stopsRequested("node-c"));
    }

    @Test
    void aStopRacingAClaimEitherStopsTheQueuedJobOrAsksItsClaimer() throws Exception {
        int jobs = 100;
        for (int i = 0; i < jobs; i++) {
            store.insert(request(APP, "job-" + i), null);
        }

        List<List<JobRecord>> outcomes = concurrently(2, thread -> () -> {
            List<JobRecord> seen = new ArrayList<>();
            if (thread == 0) {
                List<JobRecord> claimed;
                while (!(claimed = store.claim(NODE_A, 2)).isEmpty()) {
                    seen.addAll(claimed);
                }
            } else {
                for (int i = 0; i < jobs; i++) {
                    JobStore.StopResult stop = store.requestStop(APP, "job-" + i).orElseThrow();
                    assertEquals(StopOutcome.STOP_STARTED, stop.outcome(), stop.job().jobId());
                    seen.add(stop.job());
                }
            }
            return seen;
        });

        Set<Long> claimed = new HashSet<>(seqs(outcomes.get(0)));
        assertEquals(jobs, outcomes.get(1).size());
        for (JobRecord stopped : outcomes.get(1)) {
            JobRecord now = store.find(APP, stopped.jobId()).orElseThrow();
            if (claimed.contains(stopped.seq())) {
                assertEquals(JobState.STOPPING, stopped.state(), stopped.jobId());
                assertEquals(JobState.STOPPING, now.state(), stopped.jobId());
                assertEquals(NODE_A, now.nodeId());
            } else {
                assertEquals(JobState.STOPPED, stopped.state(), stopped.jobId());
                assertEquals(JobState.STOPPED, now.state(), stopped.jobId());
                assertEquals(0, now.attempt(), stopped.jobId());
            }
        }
        assertEquals(claimed, Set.copyOf(store.stopsRequested(NODE_A)));
        assertEquals(0, store.countQueued());
    }

    // ---- progress and trace --------------------------------------------------------------------

    @Test
    void progressOfARunningJobRoundTrips() {
        JobRecord job = store.insert(request(APP, "job-1"), NODE_A).job();

        store.progress(job.seq(), new JobRecord.Progress(2, 5, "Lade Kunden aus Zürich"));
        assertEquals(new JobRecord.Progress(2, 5, "Lade Kunden aus Zürich"),
                store.find(APP, "job-1").orElseThrow().progress());

        store.progress(job.seq(), new JobRecord.Progress(3, 5, "Report"));
        assertEquals(new JobRecord.Progress(3, 5, "Report"), store.find(APP, "job-1").orElseThrow().progress());
    }

    @Test
    void progressOfAJobThatDoesNotRunIsIgnored() {
        JobRecord queued = store.insert(request(APP, "queued"), null).job();
        JobRecord done = store.insert(request(APP, "done"), NODE_A).job();
        store.finish(done.seq(), NODE_A, JobState.COMPLETED, null);

        store.progress(queued.seq(), new JobRecord.Progress(1, 1, "early"));
        store.progress(done.seq(), new JobRecord.Progress(1, 1, "late"));

        assertNull(store.find(APP, "queued").orElseThrow().progress());
        assertNull(store.find(APP, "done").orElseThrow().progress());
    }

    @Test
    void stepsRoundTripInTheirOrder() {
        JobRecord job = store.insert(request(APP, "job-1"), NODE_A).job();
        JobRecord other = store.insert(request(APP, "job-2"), NODE_A).job();
        StepTrace script = new StepTrace("2", "Write the totals", "ExecuteSQL", "failed",
                Instant.ofEpochMilli(1_767_225_600_123L), Instant.ofEpochMilli(1_767_225_601_456L), null,
                List.of(new StepTrace.StatementTrace(1, "DELETE FROM totals", 12),
                        new StepTrace.StatementTrace(2, "CREATE INDEX totals_by_day ON totals (day)", -1),
                        new StepTrace.StatementTrace(3, "INSERT INTO totals SELECT 'Zürich 東京' ...", 0)),
                "Statement 3 failed: duplicate key \"totals_pkey\"");
        StepTrace read = new StepTrace("1", "Lade Kunden", "Transform", "completed",
                Instant.ofEpochMilli(1_767_225_599_000L), Instant.ofEpochMilli(1_767_225_600_000L), 42L,
                List.of(), null);
        StepTrace nested = new StepTrace("2.1", "inner", "RunScenario", "stopped",
                Instant.ofEpochMilli(1_767_225_600_200L), Instant.ofEpochMilli(1_767_225_600_300L), 0L,
                List.of(), "Stopped by request");

        store.addStep(job, 3, script);
        store.addStep(job, 1, read);
        store.addStep(job, 2, nested);
        store.addStep(other, 1, nested);

        assertEquals(List.of(read, nested, script), store.steps(job.seq()));
        assertEquals(List.of(nested), store.steps(other.seq()));
        assertEquals(List.of(), store.steps(other.seq() + 1000));
    }

    @Test
    void aRunThatAnotherNodeResolvedWritesNoMoreStepsOrResults() throws Exception {
        JobRecord first = store.insert(request(APP, "job-1", true), NODE_A).job();
        store.registerNode(NODE_A);
        assertTrue(store.addStep(first, 1, step("1")));
        ResultOutput slow = store.newResult(first, 1, "people", COLUMNS);
        slow.records().write(records(40), 0, CHUNK_BYTES + 1);
        // node A falls silent: another node queues its job again and runs it as attempt 2
        assertEquals(1, store.resolveNode(NODE_A, "Interrupted: node a stopped responding.", 3, true));
        JobRecord second = store.claim(NODE_B, 1).get(0);
        assertEquals(first.seq(), second.seq());
        store.clearOutput(second.seq());
        assertTrue(store.addStep(second, 1, step("1")));

        assertFalse(store.addStep(first, 2, step("2")), "the first run's late step is refused");
        assertThrows(RunEndedException.class, () -> {
            slow.records().write(records(40), CHUNK_BYTES + 1, records(40).length - CHUNK_BYTES - 1);
            slow.complete(40);
        }, "the first run's result set is refused");
        ResultOutput late = store.newResult(first, 2, "late", COLUMNS);
        assertThrows(RunEndedException.class, () -> {
            late.records().write(records(1));
            late.complete(1);
        }, "a result set the first run starts now is refused");
        JobRecord ended = store.insert(request(APP, "job-2"), NODE_B).job();
        assertTrue(store.finish(ended.seq(), NODE_B, JobState.COMPLETED, null).isPresent());
        assertFalse(store.addStep(ended, 1, step("1")), "a step of a job that ended is refused");

        ResultOutput own = store.newResult(second, 1, "people", COLUMNS);
        own.records().write(records(4));
        own.complete(4);
        assertEquals(List.of(step("1")), store.steps(second.seq()), "only the second run's trace");
        assertEquals(List.of(1), numbers(store.results(second.seq())));
        try (InputStream in = store.openRecords(second.seq(), 1)) {
            assertArrayEquals(records(4), in.readAllBytes(), "only the second run's records");
        }
        assertEquals((records(4).length + CHUNK_BYTES - 1) / CHUNK_BYTES,
                rows.queryLong("SELECT COUNT(*) FROM il_result_chunk WHERE job_seq = ?", second.seq()));
        assertEquals(List.of(), store.steps(ended.seq()));
    }

    /**
     * On a store several nodes share, a late write that meets another node's requeue of its job
     * still in progress waits for it and is then refused. Read without a lock, the job's row is
     * still the old run's, and the write would land once the new run had cleared the job's output.
     * (An H2 store has one node: no other node requeues its jobs.)
     */
    void aLateWriteWaitsForARequeueInProgressAndIsThenRefused() throws Exception {
        JobRecord first = store.insert(request(APP, "job-1", true), NODE_A).job();
        ExecutorService writer = Executors.newSingleThreadExecutor(new NamedThreadFactory("late-writer"));
        try (Connection requeue = pool.getConnection()) {
            requeue.setAutoCommit(false);
            try (PreparedStatement update = requeue.prepareStatement(
                    "UPDATE il_job SET state = 'queued', node_id = NULL WHERE seq = ?")) {
                update.setLong(1, first.seq());
                assertEquals(1, update.executeUpdate());
            }
            Future<Boolean> late = writer.submit(() -> store.addStep(first, 1, step("1")));
            assertThrows(TimeoutException.class, () -> late.get(500, TimeUnit.MILLISECONDS),
                    "the late step waits for the requeue");
            requeue.commit();
            assertFalse(late.get(THREADS_WAIT_SECONDS, TimeUnit.SECONDS), "the late step is refused");
        } finally {
            writer.shutdownNow();
        }
        assertEquals(List.of(), store.steps(first.seq()));
    }

    private static StepTrace step(String label) {
        return new StepTrace(label, "Load", "Transform", "completed", Instant.ofEpochMilli(1000),
                Instant.ofEpochMilli(2000), 4L, List.of(), null);
    }

    // ---- results -------------------------------------------------------------------------------

    @Test
    void aResultSetSpanningManyChunksRoundTripsByteForByte() throws Exception {
        JobRecord job = store.insert(request(APP, "job-1"), NODE_A).job();
        byte[] records = records(40);
        ResultOutput output = store.newResult(job, 1, "people", COLUMNS);
        output.records().write(records, 0, 5);
        output.records().write(records[5]);
        output.records().write(records, 6, records.length - 6);
        output.complete(40);

        assertEquals((records.length + CHUNK_BYTES - 1) / CHUNK_BYTES,
                rows.queryLong("SELECT COUNT(*) FROM il_result_chunk WHERE job_seq = ?", job.seq()));
        List<ResultInfo> results = store.results(job.seq());
        assertEquals(1, results.size());
        ResultInfo result = results.get(0);
        assertEquals(1, result.number());
        assertEquals("people", result.name());
        assertEquals(40, result.rows());
        assertSchema(result.schemaJson());

        try (InputStream in = store.openRecords(job.seq(), 1)) {
            assertArrayEquals(records, in.readAllBytes());
        }
        for (int piece : new int[] {1, 3, CHUNK_BYTES, 100}) {
            try (InputStream in = store.openRecords(job.seq(), 1)) {
                assertArrayEquals(records, readInPieces(in, piece), "pieces of " + piece);
            }
        }
        try (InputStream in = store.openRecords(job.seq(), 1)) {
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            assertEquals(records.length, in.transferTo(copy));
            assertArrayEquals(records, copy.toByteArray());
        }
        try (InputStream in = store.openRecords(job.seq(), 1)) {
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            for (int b; (b = in.read()) >= 0; ) {
                copy.write(b);
            }
            assertArrayEquals(records, copy.toByteArray());
        }
    }

    @Test
    void resultSetsOfWholeAndEmptyChunksRoundTrip() throws Exception {
        JobRecord job = store.insert(request(APP, "job-1"), NODE_A).job();
        byte[] whole = ("[\"" + "x".repeat(3 * CHUNK_BYTES - 4) + "\"]").getBytes(UTF_8);
        ResultOutput exact = store.newResult(job, 1, null, COLUMNS);
        exact.records().write(whole);
        exact.complete(1);
        ResultOutput empty = store.newResult(job, 2, "nothing", List.of());
        empty.complete(0);

        assertEquals(3, rows.queryLong("SELECT COUNT(*) FROM il_result_chunk WHERE job_seq = ? AND result_no = 1",
                job.seq()));
        List<ResultInfo> results = store.results(job.seq());
        assertNull(results.get(0).name());
        assertEquals(new ResultInfo(2, "nothing", "[]", 0), results.get(1));
        try (InputStream in = store.openRecords(job.seq(), 1)) {
            assertArrayEquals(whole, readInPieces(in, 4));
        }
        try (InputStream in = store.openRecords(job.seq(), 2)) {
            assertEquals(-1, in.read());
        }
    }

    @Test
    void aResultSetIsInvisibleUntilComplete() throws Exception {
        JobRecord job = store.insert(request(APP, "job-1"), NODE_A).job();
        byte[] records = records(5);
        ResultOutput output = store.newResult(job, 1, "people", COLUMNS);
        output.records().write(records);

        assertTrue(rows.queryLong("SELECT COUNT(*) FROM il_result_chunk WHERE job_seq = ?", job.seq()) > 0,
                "chunks are kept as they are written");
        assertEquals(List.of(), store.results(job.seq()));
        assertThrows(IllegalStateException.class, () -> store.openRecords(job.seq(), 1));

        output.complete(5);

        assertEquals(List.of(1), numbers(store.results(job.seq())));
        try (InputStream in = store.openRecords(job.seq(), 1)) {
            assertArrayEquals(records, in.readAllBytes());
        }
        assertThrows(IOException.class, () -> output.records().write('x'));
    }

    @Test
    void chunksAreKeptInGroupsAndTheLastOnesWithTheirSet() throws Exception {
        JobRecord job = store.insert(request(APP, "job-1"), NODE_A).job();
        int group = ResultChunks.CHUNKS_PER_TRANSACTION;
        byte[] records = records(40);
        assertTrue(records.length > (2 * group + 1) * CHUNK_BYTES, "the set spans more than two groups");
        ResultOutput output = store.newResult(job, 1, "people", COLUMNS);

        output.records().write(records, 0, group * CHUNK_BYTES - 1);
        assertEquals(0, chunkRows(job), "a group is inserted only once full");
        output.records().write(records, group * CHUNK_BYTES - 1, 1);
        Poll.until(Duration.ofSeconds(THREADS_WAIT_SECONDS), () -> chunkRows(job), n -> n == group,
                "the first group of chunks in the store");
        output.records().write(records, group * CHUNK_BYTES, 2 * group * CHUNK_BYTES + 3);
        Poll.until(Duration.ofSeconds(THREADS_WAIT_SECONDS), () -> chunkRows(job), n -> n == 3L * group,
                "three groups of chunks in the store");
        assertEquals(List.of(), store.results(job.seq()));

        output.complete(40);
        assertEquals(3L * group + 1, chunkRows(job), "the last chunk is kept with the set");
        assertEquals(List.of(1), numbers(store.results(job.seq())));
        try (InputStream in = store.openRecords(job.seq(), 1)) {
            assertArrayEquals(Arrays.copyOf(records, 3 * group * CHUNK_BYTES + 3), in.readAllBytes());
        }
    }

    private long chunkRows(JobRecord job) throws SQLException {
        return rows.queryLong("SELECT COUNT(*) FROM il_result_chunk WHERE job_seq = ?", job.seq());
    }

    @Test
    void aDiscardedResultSetLeavesNoChunks() throws Exception {
        JobRecord job = store.insert(request(APP, "job-1"), NODE_A).job();
        ResultOutput kept = store.newResult(job, 1, "kept", COLUMNS);
        kept.records().write(records(3));
        kept.complete(3);
        long keptChunks = rows.queryLong("SELECT COUNT(*) FROM il_result_chunk WHERE job_seq = ?", job.seq());

        ResultOutput dropped = store.newResult(job, 2, "dropped", COLUMNS);
        dropped.records().write(records(10));
        assertTrue(rows.queryLong("SELECT COUNT(*) FROM il_result_chunk WHERE job_seq = ?", job.seq()) > keptChunks);
        dropped.discard();

        assertEquals(0, rows.queryLong("SELECT COUNT(*) FROM il_result_chunk WHERE job_seq = ? AND result_no = 2",
                job.seq()));
        assertEquals(keptChunks, rows.queryLong("SELECT COUNT(*) FROM il_result_chunk WHERE job_seq = ?", job.seq()));
        assertEquals(List.of(1), numbers(store.results(job.seq())));
        assertThrows(IllegalStateException.class, () -> store.openRecords(job.seq(), 2));
        assertThrows(IOException.class, () -> dropped.records().write('x'));
    }

    @Test
    void aChunkTheStoreCannotKeepFailsTheResultSet() throws Exception {
        JobRecord job = store.insert(request(APP, "job-1"), NODE_A).job();
        try (BasicDataSource own = copyOf(pool)) {
            JdbcJobStore ownStore = new JdbcJobStore(own, CHUNK_BYTES);
            ResultOutput output = ownStore.newResult(job, 1, "people", COLUMNS);
            output.records().write(records(3));
            own.close();

            // the chunk in flight, or the next one, meets the closed pool: the set fails, whole
            IOException failure = assertThrows(IOException.class, () -> {
                output.records().write(records(3));
                output.complete(6);
            });
            assertTrue(failure.getMessage().contains("job store"), failure.getMessage());
        }
        assertEquals(List.of(), store.results(job.seq()));
    }

    @Test
    void anInputClosedHalfWayReturnsEveryConnection() throws Exception {
        JobRecord job = store.insert(request(APP, "job-1"), NODE_A).job();
        byte[] records = records(40);
        ResultOutput output = store.newResult(job, 1, "people", COLUMNS);
        output.records().write(records);
        output.complete(40);

        try (InputStream in = store.openRecords(job.seq(), 1)) {
            assertEquals(records[0], (byte) in.read());
            assertEquals(records[1], (byte) in.read());
        }
        Poll.until(Duration.ofSeconds(10), pool::getNumActive, active -> active == 0, "every store connection returned");
        IOException closed = assertThrows(IOException.class, () -> {
            InputStream in = store.openRecords(job.seq(), 1);
            in.close();
            in.read();
        });
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
    }

    @Test
    void aClosedStoreStillWritesAndReadsResultsOnTheCallersThread() throws Exception {
        try (BasicDataSource own = copyOf(pool)) {
            JdbcJobStore closing = new JdbcJobStore(own, CHUNK_BYTES);
            JobRecord job = closing.insert(request(APP, "job-1"), NODE_A).job();
            byte[] records = records(10);
            ResultOutput output = closing.newResult(job, 1, "people", COLUMNS);
            output.records().write(records, 0, 20);
            closing.close();
            output.records().write(records, 20, records.length - 20);
            output.complete(10);

            try (InputStream in = closing.openRecords(job.seq(), 1)) {
                assertArrayEquals(records, in.readAllBytes());
            }
        }
    }

    @Test
    void nonAsciiTextSurvivesChunkBoundaries() throws Exception {
        JobRecord job = store.insert(request(APP, "job-1"), NODE_A).job();
        String text = "[{\"city\":\"Zürich 東京\"},{\"city\":\"Αθήνα 😀 ĳ\"}]";
        byte[] records = text.getBytes(UTF_8);
        List<ColumnInfo> columns = List.of(column("城市", "character varying", StandardType.TEXT, Types.VARCHAR));
        ResultOutput output = store.newResult(job, 1, "Zürich 東京", columns);
        for (byte b : records) {
            output.records().write(b);
        }
        output.complete(2);

        ResultInfo result = store.results(job.seq()).get(0);
        assertEquals("Zürich 東京", result.name());
        assertEquals("城市", Json.mapper().readTree(result.schemaJson()).get(0).get("name").asText());
        try (InputStream in = store.openRecords(job.seq(), 1)) {
            assertEquals(text, new String(readInPieces(in, 2), UTF_8));
        }
    }

    @Test
    void resultSetsAreListedByNumberAndReadApart() throws Exception {
        JobRecord job = store.insert(request(APP, "job-1"), NODE_A).job();
        JobRecord other = store.insert(request(APP, "job-2"), NODE_A).job();
        Map<Integer, byte[]> written = new HashMap<>();
        for (int number : new int[] {3, 1, 2}) {
            byte[] records = ("[{\"set\":" + number + ",\"pad\":\"" + "x".repeat(number * 5) + "\"}]").getBytes(UTF_8);
            written.put(number, records);
            ResultOutput output = store.newResult(job, number, "set-" + number, COLUMNS);
            output.records().write(records);
            output.complete(1);
        }
        ResultOutput foreign = store.newResult(other, 1, "foreign", COLUMNS);
        foreign.records().write(records(2));
        foreign.complete(2);

        List<ResultInfo> results = store.results(job.seq());
        assertEquals(List.of(1, 2, 3), numbers(results));
        assertEquals(List.of("set-1", "set-2", "set-3"), results.stream().map(ResultInfo::name).toList());
        for (int number = 1; number <= 3; number++) {
            try (InputStream in = store.openRecords(job.seq(), number)) {
                assertArrayEquals(written.get(number), in.readAllBytes(), "set " + number);
            }
        }
        try (InputStream in = store.openRecords(other.seq(), 1)) {
            assertArrayEquals(records(2), in.readAllBytes());
        }
    }

    @Test
    void clearOutputForgetsTraceAndResultsOfOneJob() throws Exception {
        JobRecord job = store.insert(request(APP, "job-1", true), NODE_A).job();
        JobRecord other = store.insert(request(APP, "job-2"), NODE_A).job();
        for (JobRecord each : List.of(job, other)) {
            writeOutput(each);
        }

        store.clearOutput(job.seq());

        assertEquals(List.of(), store.steps(job.seq()));
        assertEquals(List.of(), store.results(job.seq()));
        assertEquals(0, outputRows(job.seq()));
        assertThrows(IllegalStateException.class, () -> store.openRecords(job.seq(), 1));
        assertEquals(1, store.steps(other.seq()).size());
        assertEquals(List.of(1), numbers(store.results(other.seq())));
        try (InputStream in = store.openRecords(other.seq(), 1)) {
            assertArrayEquals(records(4), in.readAllBytes());
        }

        writeOutput(job);
        assertEquals(List.of(1), numbers(store.results(job.seq())));
    }

    // ---- listing -------------------------------------------------------------------------------

    @Test
    void listShowsNewestFirstAsTheQuerySays() {
        JobRecord j1 = store.insert(request("app-1", "j1", "Load"), null).job();
        JobRecord j2 = store.insert(request("app-2", "j2", "Load"), NODE_A).job();
        JobRecord j3 = store.insert(request("app-1", "j3", "Report"), NODE_A).job();
        store.finish(j3.seq(), NODE_A, JobState.COMPLETED, null);
        JobRecord j4 = store.insert(request("app-3", "j4", null), null).job();
        JobRecord j5 = store.insert(request("app-1", "j5", "Load"), NODE_B).job();

        assertEquals(List.of("j5", "j4", "j3", "j2", "j1"), ids(store.list(all(100))));
        assertEquals(List.of(j5.seq(), j4.seq(), j3.seq(), j2.seq(), j1.seq()), seqs(store.list(all(100))));
        assertEquals(List.of("j5", "j3", "j1"), ids(store.list(query(Set.of("app-1"), Set.of(), null, null))));
        assertEquals(List.of("j5", "j4", "j3", "j1"),
                ids(store.list(query(Set.of("app-1", "app-3"), Set.of(), null, null))));
        assertEquals(List.of(), store.list(query(Set.of(), Set.of(), null, null)));
        assertEquals(List.of(), store.list(query(Set.of("app-9"), Set.of(), null, null)));
        assertEquals(List.of("j5", "j2"), ids(store.list(query(null, Set.of(JobState.RUNNING), null, null))));
        assertEquals(List.of("j4", "j3", "j1"),
                ids(store.list(query(null, Set.of(JobState.QUEUED, JobState.COMPLETED), null, null))));
        assertEquals(List.of("j5", "j2", "j1"), ids(store.list(query(null, Set.of(), "Load", null))));
        assertEquals(List.of("j5"),
                ids(store.list(query(Set.of("app-1"), Set.of(JobState.RUNNING), "Load", null))));
        assertEquals(List.of("j2", "j1"), ids(store.list(query(null, Set.of(), null, j3.seq()))));
        assertEquals(List.of("j5", "j4"), ids(store.list(all(2))));
        assertEquals(store.find("app-1", "j3").orElseThrow(), store.list(query(null, Set.of(JobState.COMPLETED),
                null, null)).get(0));
    }

    @Test
    void keysetPagingGivesEveryJobOnce() {
        List<Long> inserted = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            inserted.add(0, store.insert(request(i % 3 == 0 ? "app-2" : APP, "job-" + i), null).job().seq());
        }

        List<Long> paged = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        Long before = null;
        while (true) {
            List<JobRecord> page = store.list(new JobQuery(null, Set.of(), null, before, 5));
            if (page.isEmpty()) {
                break;
            }
            pageSizes.add(page.size());
            paged.addAll(seqs(page));
            before = page.get(page.size() - 1).seq();
        }

        assertEquals(inserted, paged);
        assertEquals(List.of(5, 5, 5, 5, 3), pageSizes);
    }

    @Test
    void listingsFilterBySubmissionTime() throws SQLException {
        JobRecord old = store.insert(request(APP, "old"), null).job();
        JobRecord middle = store.insert(request(APP, "middle"), null).job();
        JobRecord fresh = store.insert(request(APP, "fresh"), null).job();
        long now = fresh.submittedAt().toEpochMilli();
        rows.update("UPDATE il_job SET submitted_at = ? WHERE seq = ?", now - 7_200_000L, old.seq());
        rows.update("UPDATE il_job SET submitted_at = ? WHERE seq = ?", now - 3_600_000L, middle.seq());

        Instant anHourAgo = Instant.ofEpochMilli(now - 3_600_000L);
        assertEquals(List.of(fresh.seq(), middle.seq()), seqs(store.list(
                new JobQuery(null, Set.of(), null, anHourAgo, null, null, 10))), "from is inclusive");
        assertEquals(List.of(old.seq()), seqs(store.list(
                new JobQuery(null, Set.of(), null, null, anHourAgo, null, 10))), "to is exclusive");
        assertEquals(List.of(middle.seq()), seqs(store.list(new JobQuery(Set.of(APP), Set.of(JobState.QUEUED), null,
                anHourAgo, Instant.ofEpochMilli(now), null, 10))));
    }

    @Test
    void finishedJobsAreCountedByMinuteStateAndDuration() throws SQLException {
        long[] bounds = {1_000, 60_000};
        JobRecord quick = store.insert(request(APP, "quick"), NODE_A).job();
        store.finish(quick.seq(), NODE_A, JobState.COMPLETED, null);
        JobRecord slow = store.insert(request(APP, "slow"), NODE_A).job();
        store.finish(slow.seq(), NODE_A, JobState.COMPLETED_WITH_ERROR, "failed");
        // ran 5 minutes, ended 3 minutes ago
        rows.update("UPDATE il_job SET started_at = finished_at - 300000, finished_at = finished_at - 180000 "
                + "WHERE seq = ?", slow.seq());
        JobRecord medium = store.insert(request(APP, "medium"), NODE_A).job();
        store.finish(medium.seq(), NODE_A, JobState.COMPLETED, null);
        rows.update("UPDATE il_job SET started_at = finished_at - 5000 WHERE seq = ?", medium.seq());
        JobRecord neverRan = store.insert(request(APP, "never-ran"), null).job();
        store.requestStop(APP, neverRan.jobId());
        finished(APP, "yesterday", 2 * 86_400_000L);
        store.insert(request(APP, "still-queued"), null);

        JobStore.FinishedCounts counts = store.finishedCounts(86_400_000L, bounds);

        assertTrue(Math.abs(counts.nowMillis() - System.currentTimeMillis()) < 60_000, "the store's clock");
        assertEquals(Set.of(
                new JobStore.FinishedCounts.Count(0, JobState.COMPLETED, 0, 1),
                new JobStore.FinishedCounts.Count(3, JobState.COMPLETED_WITH_ERROR, 2, 1),
                new JobStore.FinishedCounts.Count(0, JobState.COMPLETED, 1, 1),
                new JobStore.FinishedCounts.Count(0, JobState.STOPPED, -1, 1)), Set.copyOf(counts.counts()));
    }

    @Test
    void countQueuedCountsTheWaitingJobsOfEveryApp() {
        assertEquals(0, store.countQueued());
        store.insert(request("app-1", "q1"), null);
        store.insert(request("app-2", "q2"), null);
        store.insert(request("app-3", "q3"), null);
        store.insert(request("app-1", "running"), NODE_A);
        assertEquals(3, store.countQueued());

        store.claim(NODE_A, 1);
        assertEquals(2, store.countQueued());
        store.requestStop("app-3", "q3");
        assertEquals(1, store.countQueued());
    }

    // ---- nodes ---------------------------------------------------------------------------------

    @Test
    void aNodeHeartbeatsOnlyWhileItHasARow() throws SQLException {
        assertFalse(store.heartbeat(NODE_A), "never registered");

        long before = rows.storeNow();
        store.registerNode(NODE_A);
        long after = rows.storeNow();

        assertBetween(before, Instant.ofEpochMilli(heartbeatAt(NODE_A)), after);
        assertTrue(store.heartbeat(NODE_A));
        assertFalse(store.heartbeat(NODE_B));

        ageHeartbeat(NODE_A, HOUR);
        store.registerNode(NODE_A);
        assertEquals(1, rows.queryLong("SELECT COUNT(*) FROM il_node WHERE node_id = ?", NODE_A));
        assertTrue(heartbeatAt(NODE_A) >= after, "registering again renews the heartbeat");
    }

    @Test
    void silentNodesAreThoseWhoseHeartbeatIsOlderThanTheTimeout() throws SQLException {
        for (String node : List.of(NODE_A, NODE_B, "node-c")) {
            store.registerNode(node);
        }
        assertEquals(List.of(), store.silentNodes(MINUTE));

        ageHeartbeat(NODE_A, 2 * MINUTE);
        ageHeartbeat(NODE_B, 10_000);

        assertEquals(List.of(NODE_A), store.silentNodes(MINUTE));
        assertEquals(Set.of(NODE_A, NODE_B), Set.copyOf(store.silentNodes(5_000)));

        assertTrue(store.heartbeat(NODE_A));
        assertEquals(List.of(), store.silentNodes(MINUTE));
    }

    @Test
    void nodesAreListedWithTheirHeartbeatAgeAndTheJobsTheyRun() throws SQLException {
        store.registerNode(NODE_A);
        store.registerNode(NODE_B);
        store.insert(request(APP, "a-1"), NODE_A);
        store.insert(request(APP, "a-2"), NODE_A);
        store.requestStop(APP, "a-2");
        JobRecord done = store.insert(request(APP, "a-3"), NODE_A).job();
        store.finish(done.seq(), NODE_A, JobState.COMPLETED, null);
        store.insert(request(APP, "queued"), null);
        ageHeartbeat(NODE_B, 20_000);

        List<JobStore.NodeInfo> nodes = store.nodes();

        assertEquals(List.of(NODE_A, NODE_B), nodes.stream().map(JobStore.NodeInfo::nodeId).toList());
        assertEquals(2, nodes.get(0).runningJobs(), "running and stopping count, finished and queued do not");
        assertEquals(0, nodes.get(1).runningJobs());
        assertTrue(nodes.get(0).heartbeatAgeMillis() >= 0 && nodes.get(0).heartbeatAgeMillis() < CLOCK_SLACK_MILLIS,
                nodes.toString());
        assertTrue(nodes.get(1).heartbeatAgeMillis() >= 20_000
                && nodes.get(1).heartbeatAgeMillis() < 20_000 + CLOCK_SLACK_MILLIS, nodes.toString());
    }

    @Test
    void vanishedNodesRunJobsButHaveNoRow() {
        store.registerNode(NODE_A);
        store.insert(request(APP, "alive"), NODE_A);
        store.insert(request(APP, "lost-1"), "node-x");
        store.insert(request(APP, "lost-2"), "node-x");
        store.insert(request(APP, "stopping"), "node-y");
        store.requestStop(APP, "stopping");
        JobRecord done = store.insert(request(APP, "done"), "node-z").job();
        store.finish(done.seq(), "node-z", JobState.COMPLETED, null);
        store.insert(request(APP, "queued"), null);

        List<String> vanished = store.vanishedNodes();

        assertEquals(2, vanished.size(), vanished.toString());
        assertEquals(Set.of("node-x", "node-y"), Set.copyOf(vanished));
    }

    @Test
    void resolvingAGoneNodeStopsOrRequeuesItsJobsAndNoOthers() throws SQLException {
        String message = "Interrupted: node node-a stopped responding.";
        JobRecord thrice = store.insert(request(APP, "thrice", true), null).job();
        for (int attempt = 1; attempt < 3; attempt++) {
            store.claim(NODE_A, 1);
            store.requeue(thrice.seq(), NODE_A);
        }
        assertEquals(3, store.claim(NODE_A, 1).get(0).attempt());
        JobRecord plain = store.insert(request(APP, "plain"), NODE_A).job();
        store.progress(plain.seq(), new JobRecord.Progress(1, 2, "Load"));
        JobRecord rerun = store.insert(request(APP, "rerun", true), NODE_A).job();
        store.progress(rerun.seq(), new JobRecord.Progress(1, 2, "Load"));
        JobRecord stopping = store.insert(request(APP, "stopping", true), NODE_A).job();
        store.requestStop(APP, "stopping");
        JobRecord done = store.insert(request(APP, "done"), NODE_A).job();
        store.finish(done.seq(), NODE_A, JobState.COMPLETED, null);
        done = store.find(APP, "done").orElseThrow();
        JobRecord elsewhere = store.insert(request(APP, "elsewhere", true), NODE_B).job();
        JobRecord waiting = store.insert(request(APP, "waiting", true), null).job();
        store.registerNode(NODE_A);
        store.registerNode(NODE_B);

        long before = rows.storeNow();
        int resolved = store.resolveNode(NODE_A, message, 3, false);
        long after = rows.storeNow();

        assertEquals(4, resolved);
        for (String jobId : List.of("plain", "thrice", "stopping")) {
            JobRecord stopped = store.find(APP, jobId).orElseThrow();
            assertEquals(JobState.STOPPED, stopped.state(), jobId);
            assertEquals(message, stopped.message(), jobId);
            assertBetween(before, stopped.finishedAt(), after);
            assertNull(stopped.progress(), jobId);
        }
        JobRecord requeued = store.find(APP, "rerun").orElseThrow();
        assertEquals(JobState.QUEUED, requeued.state());
        assertNull(requeued.nodeId());
        assertNull(requeued.startedAt());
        assertNull(requeued.finishedAt());
        assertNull(requeued.message());
        assertNull(requeued.progress());
        assertEquals(1, requeued.attempt());
        assertEquals(done, store.find(APP, "done").orElseThrow());
        assertEquals(elsewhere, store.find(APP, "elsewhere").orElseThrow());
        assertEquals(waiting, store.find(APP, "waiting").orElseThrow());
        assertTrue(store.heartbeat(NODE_A), "the row stays unless asked");
        assertFalse(store.finish(plain.seq(), NODE_A, JobState.COMPLETED, null).isPresent(), "the sweeper took it");
        assertFalse(store.requeue(rerun.seq(), NODE_A));
        assertEquals(List.of(), store.stopsRequested(NODE_A));

        assertEquals(0, store.resolveNode(NODE_A, message, 3, true));
        assertFalse(store.heartbeat(NODE_A), "the row is removed when asked");
        assertTrue(store.heartbeat(NODE_B));
        assertEquals(elsewhere, store.find(APP, "elsewhere").orElseThrow());
        assertEquals(List.of(rerun.seq(), waiting.seq()), seqs(store.claim(NODE_B, 5)));
    }

    @Test
    void resolvingAVanishedNodeClearsItFromVanishedNodes() {
        store.insert(request(APP, "lost"), "node-x");
        assertEquals(List.of("node-x"), store.vanishedNodes());

        assertEquals(1, store.resolveNode("node-x", "Interrupted: node node-x stopped responding.", 3, true));

        assertEquals(List.of(), store.vanishedNodes());
        assertEquals(JobState.STOPPED, store.find(APP, "lost").orElseThrow().state());
    }

    // ---- retention -----------------------------------------------------------------------------

    @Test
    void purgeDeletesJobsFinishedLongerAgoThanKept() throws SQLException {
        JobRecord old = finished(APP, "old", 2 * HOUR);
        JobRecord recent = finished(APP, "recent", 30 * MINUTE);
        JobRecord fresh = finished(APP, "fresh", 0);

        assertEquals(1, store.purge(1000, HOUR, 15 * MINUTE, 100));

        assertTrue(store.find(APP, "old").isEmpty());
        assertEquals(List.of(fresh.seq(), recent.seq()), seqs(store.list(all(100))));
        assertEquals(0, store.purge(1000, HOUR, 15 * MINUTE, 100));
        assertEquals(0, rows.queryLong("SELECT COUNT(*) FROM il_job WHERE seq = ?", old.seq()));
    }

    @Test
    void purgeKeepsTheNewestFinishedJobsOfEachApp() throws SQLException {
        List<JobRecord> app1 = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            app1.add(finished("app-1", "a" + i, HOUR));
        }
        finished("app-2", "b1", HOUR);
        finished("app-2", "b2", HOUR);
        store.insert(request("app-1", "waiting"), null);
        store.insert(request("app-1", "running"), NODE_A);

        assertEquals(3, store.purge(2, DAY, 15 * MINUTE, 100));

        assertEquals(List.of("running", "waiting", "a5", "a4"),
                ids(store.list(query(Set.of("app-1"), Set.of(), null, null))));
        assertEquals(List.of("b2", "b1"), ids(store.list(query(Set.of("app-2"), Set.of(), null, null))));
    }

    @Test
    void purgeNeverDeletesAJobYoungerThanTheFloor() throws SQLException {
        finished(APP, "old", 20 * MINUTE);
        finished(APP, "young", 10 * MINUTE);
        finished(APP, "fresh", 0);

        assertEquals(1, store.purge(0, 0, 15 * MINUTE, 100));

        assertEquals(List.of("fresh", "young"), ids(store.list(all(100))));
        assertEquals(0, store.purge(0, 0, 15 * MINUTE, 100));
    }

    @Test
    void purgeNeverDeletesAnUnfinishedJob() throws SQLException {
        store.insert(request(APP, "queued"), null);
        store.insert(request(APP, "running"), NODE_A);
        store.insert(request(APP, "stopping"), NODE_A);
        store.requestStop(APP, "stopping");
        rows.update("UPDATE il_job SET submitted_at = submitted_at - ?, started_at = started_at - ?", DAY, DAY);
        finished(APP, "done", MINUTE);

        assertEquals(1, store.purge(0, 0, 0, 100));

        assertEquals(List.of("stopping", "running", "queued"), ids(store.list(all(100))));
    }

    @Test
    void purgeDeletesTheTraceAndResultsOfItsJobs() throws Exception {
        JobRecord gone = store.insert(request(APP, "gone"), NODE_A).job();
        writeOutput(gone);
        store.finish(gone.seq(), NODE_A, JobState.COMPLETED, null);
        age(gone.seq(), 2 * HOUR);
        JobRecord kept = store.insert(request(APP, "kept"), NODE_A).job();
        writeOutput(kept);
        store.finish(kept.seq(), NODE_A, JobState.COMPLETED, null);
        assertTrue(outputRows(gone.seq()) > 2);
        long keptRows = outputRows(kept.seq());

        assertEquals(1, store.purge(1000, HOUR, 0, 100));

        assertEquals(0, outputRows(gone.seq()));
        assertEquals(0, rows.queryLong("SELECT COUNT(*) FROM il_job WHERE seq = ?", gone.seq()));
        assertEquals(keptRows, outputRows(kept.seq()));
        try (InputStream in = store.openRecords(kept.seq(), 1)) {
            assertArrayEquals(records(4), in.readAllBytes());
        }
    }

    @Test
    void purgeWorksThroughSeveralBatches() throws Exception {
        for (int i = 1; i <= 7; i++) {
            JobRecord job = store.insert(request(APP, "old-" + i), NODE_A).job();
            writeOutput(job);
            assertTrue(store.finish(job.seq(), NODE_A, JobState.COMPLETED, null).isPresent());
            age(job.seq(), 2 * HOUR);
        }
        for (int i = 1; i <= 7; i++) {
            finished("app-2", "many-" + i, 20 * MINUTE);
        }

        assertEquals(7, store.purge(1000, HOUR, 15 * MINUTE, 2));
        assertEquals(0, rows.queryLong("SELECT COUNT(*) FROM il_job WHERE app_id = ?", APP));
        assertEquals(0, rows.queryLong("SELECT COUNT(*) FROM il_job_step")
                + rows.queryLong("SELECT COUNT(*) FROM il_job_result")
                + rows.queryLong("SELECT COUNT(*) FROM il_result_chunk"));

        assertEquals(6, store.purge(1, DAY, 15 * MINUTE, 2));
        assertEquals(List.of("many-7"), ids(store.list(all(100))));
    }

    @Test
    void purgeDeletesAResultOfManyChunksInSmallTransactions() throws Exception {
        JobRecord big = store.insert(request(APP, "big"), NODE_A).job();
        ResultOutput output = store.newResult(big, 1, "people", COLUMNS);
        output.records().write(records(40));
        output.complete(40);
        store.finish(big.seq(), NODE_A, JobState.COMPLETED, null);
        age(big.seq(), 2 * HOUR);
        assertTrue(rows.queryLong("SELECT COUNT(*) FROM il_result_chunk WHERE job_seq = ?", big.seq()) > 100,
                "more chunks than one delete transaction takes");

        assertEquals(1, store.purge(1000, HOUR, 0, 100));

        assertEquals(0, outputRows(big.seq()));
        assertTrue(store.find(APP, "big").isEmpty());
    }

    // ---- variables -----------------------------------------------------------------------------

    @Test
    void aVariableNeverSetIsEmpty() {
        variables.set("app-2", "region", "EU");

        assertTrue(variables.get(APP, "region").isEmpty());
        assertTrue(variables.get("app-2", "marker").isEmpty());
    }

    @Test
    void aVariableKeepsTheLatestValueSetInItsApp() {
        variables.set(APP, "region", "EU");
        assertEquals("EU", variables.get(APP, "region").orElseThrow());

        variables.set(APP, "region", "Zürich 東京");
        assertEquals("Zürich 東京", variables.get(APP, "region").orElseThrow());

        String big = "x".repeat(100_000);
        variables.set(APP, "region", big);
        assertEquals(big, variables.get(APP, "region").orElseThrow());
        variables.set(APP, "region", "");
        assertEquals("", variables.get(APP, "region").orElseThrow());
    }

    @Test
    void appsAndNamesKeepTheirOwnVariables() throws SQLException {
        variables.set("app-1", "region", "EU");
        variables.set("app-2", "region", "US");
        variables.set("app-1", "Region", "APAC");

        assertEquals("EU", variables.get("app-1", "region").orElseThrow());
        assertEquals("US", variables.get("app-2", "region").orElseThrow());
        assertEquals("APAC", variables.get("app-1", "Region").orElseThrow());
        assertEquals(3, rows.queryLong("SELECT COUNT(*) FROM il_variable"));
    }

    @Test
    void concurrentFirstSetsOfAVariableEndWithOneRow() throws Exception {
        int threads = 6;
        int names = 20;

        concurrently(threads, thread -> () -> {
            for (int name = 0; name < names; name++) {
                variables.set(APP, "var-" + name, "thread-" + thread);
            }
            return null;
        });

        assertEquals(names, rows.queryLong("SELECT COUNT(*) FROM il_variable WHERE app_id = ?", APP));
        for (int name = 0; name < names; name++) {
            String value = variables.get(APP, "var-" + name).orElseThrow();
            assertTrue(value.matches("thread-[0-" + (threads - 1) + "]"), value);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static ColumnInfo column(String name, String type, StandardType standard, int jdbcType) {
        return new ColumnInfo(name, type, type, 10, 0, jdbcType, standard, false, false, SqlDialect.H2);
    }

    private static JobRequest request(String appId, String jobId) {
        return request(appId, jobId, false);
    }

    private static JobRequest request(String appId, String jobId, boolean rerunIfInterrupted) {
        return new JobRequest(appId, jobId, "crm-sync", "Main", "RunScenario",
                "{\"opName\":\"RunScenario\",\"scenario\":\"Main\"}", 60, rerunIfInterrupted);
    }

    /** A job of scenario Load, which runs at most {@code max} jobs at once. */
    private static JobRequest limited(String jobId, int max, boolean reject) {
        return new JobRequest(APP, jobId, "crm-sync", "Load", "RunScenario", "{\"scenario\":\"Load\"}", 60, false,
                new Concurrency(max, reject ? Concurrency.WhenBusy.REJECT : Concurrency.WhenBusy.QUEUE));
    }

    private static JobRequest request(String appId, String jobId, String scenario) {
        return new JobRequest(appId, jobId, "crm-sync", scenario, scenario == null ? "Transform" : "RunScenario",
                "{}", 60, false);
    }

    private static JobQuery all(int limit) {
        return new JobQuery(null, Set.of(), null, null, limit);
    }

    private static JobQuery query(Set<String> appIds, Set<JobState> states, String scenario, Long beforeSeq) {
        return new JobQuery(appIds, states, scenario, beforeSeq, 100);
    }

    /** A job run on {@link #NODE_A} and completed, its end moved {@code agoMillis} into the past. */
    private JobRecord finished(String appId, String jobId, long agoMillis) throws SQLException {
        JobRecord job = store.insert(request(appId, jobId), NODE_A).job();
        assertTrue(store.finish(job.seq(), NODE_A, JobState.COMPLETED, null).isPresent());
        age(job.seq(), agoMillis);
        return store.find(appId, jobId).orElseThrow();
    }

    private static BasicDataSource copyOf(BasicDataSource pool) {
        BasicDataSource copy = new BasicDataSource();
        copy.setDriverClassName(pool.getDriverClassName());
        copy.setUrl(pool.getUrl());
        copy.setUsername(pool.getUsername());
        copy.setPassword(pool.getPassword());
        return copy;
    }

    private void age(long seq, long millis) throws SQLException {
        rows.update("UPDATE il_job SET finished_at = finished_at - ? WHERE seq = ?", millis, seq);
    }

    private void ageHeartbeat(String nodeId, long millis) throws SQLException {
        rows.update("UPDATE il_node SET heartbeat_at = heartbeat_at - ? WHERE node_id = ?", millis, nodeId);
    }

    private long heartbeatAt(String nodeId) throws SQLException {
        return rows.queryLong("SELECT heartbeat_at FROM il_node WHERE node_id = ?", nodeId);
    }

    /** One step and one complete result set of four records. */
    private void writeOutput(JobRecord job) throws IOException {
        assertTrue(store.addStep(job, 1, new StepTrace("1", "Load", "Transform", "completed",
                Instant.ofEpochMilli(1000), Instant.ofEpochMilli(2000), 4L, List.of(), null)));
        ResultOutput output = store.newResult(job, 1, "people", COLUMNS);
        output.records().write(records(4));
        output.complete(4);
    }

    /** The rows a job has in the trace, result and chunk tables together. */
    private long outputRows(long seq) throws SQLException {
        long total = 0;
        for (String table : List.of("il_job_step", "il_job_result", "il_result_chunk")) {
            total += rows.queryLong("SELECT COUNT(*) FROM " + table + " WHERE job_seq = ?", seq);
        }
        return total;
    }

    private static byte[] records(int count) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 1; i <= count; i++) {
            json.append(i > 1 ? "," : "").append("{\"id\":").append(i).append(",\"name\":\"person ").append(i)
                    .append("\"}");
        }
        return json.append("]").toString().getBytes(UTF_8);
    }

    private static byte[] readInPieces(InputStream in, int piece) throws IOException {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        byte[] buffer = new byte[piece + 2];
        for (int n; (n = in.read(buffer, 1, piece)) >= 0; ) {
            assertTrue(n > 0 && n <= piece, "read " + n + " of " + piece);
            copy.write(buffer, 1, n);
        }
        assertEquals(-1, in.read(buffer, 0, piece), "stays at the end");
        return copy.toByteArray();
    }

    private static void assertSchema(String schemaJson) throws IOException {
        JsonNode schema = Json.mapper().readTree(schemaJson);
        assertEquals(2, schema.size());
        assertEquals("id", schema.get(0).get("name").asText());
        assertEquals("integer", schema.get(0).get("typeStandard").get("name").asText());
        assertEquals("name", schema.get(1).get("name").asText());
        assertEquals("character varying", schema.get(1).get("type").get("typeStr").asText());
        assertEquals("text", schema.get(1).get("typeStandard").get("name").asText());
    }

    private static List<Long> seqs(List<JobRecord> jobs) {
        return jobs.stream().map(JobRecord::seq).toList();
    }

    private static List<String> ids(List<JobRecord> jobs) {
        return jobs.stream().map(JobRecord::jobId).toList();
    }

    private static List<Integer> numbers(List<ResultInfo> results) {
        return results.stream().map(ResultInfo::number).toList();
    }

    // ---- tokens ---------------------------------------------------------------------------------

    @Test
    void aTokenPairIsFoundByKindUntilItExpiresByTheStoreClock() throws SQLException {
        long before = rows.storeNow();
        tokens.insertPair("a".repeat(64), 60, "r".repeat(64), 3600, "crm", "alice");
        long after = rows.storeNow();

        assertEquals(Optional.of(new TokenStore.Holder("crm", "alice")),
                tokens.find("a".repeat(64), TokenStore.Kind.ACCESS));
        assertEquals(Optional.empty(), tokens.find("a".repeat(64), TokenStore.Kind.REFRESH), "kinds are apart");
        assertEquals(Optional.empty(), tokens.find("r".repeat(64), TokenStore.Kind.ACCESS), "kinds are apart");
        assertEquals(Optional.empty(), tokens.find("b".repeat(64), TokenStore.Kind.ACCESS));
        long expires = rows.queryLong("SELECT expires_at FROM il_token WHERE token_sha256 = ?", "a".repeat(64));
        assertTrue(expires >= before + 60_000 && expires <= after + 60_000, "expiry from the store's clock");
        assertEquals(2, rows.queryLong("SELECT COUNT(*) FROM il_token"));

        rows.update("UPDATE il_token SET expires_at = ? WHERE token_sha256 = ?", before - 1, "a".repeat(64));
        assertEquals(Optional.empty(), tokens.find("a".repeat(64), TokenStore.Kind.ACCESS), "expired");
        assertEquals(1, tokens.purgeExpired());
        assertEquals(1, rows.queryLong("SELECT COUNT(*) FROM il_token"), "the refresh token is still live");
        assertEquals(0, tokens.purgeExpired());
    }

    @Test
    void aRefreshTokenIsUsedUpOnceAndOnlyByItsClient() throws Exception {
        tokens.insertPair("a".repeat(64), 60, "r".repeat(64), 3600, "crm", null);

        assertEquals(Optional.empty(), tokens.consumeRefresh("r".repeat(64), "other"), "another client's");
        assertEquals(Optional.empty(), tokens.consumeRefresh("a".repeat(64), "crm"), "an access token");
        List<Optional<TokenStore.Holder>> uses = concurrently(4, thread -> () ->
                tokens.consumeRefresh("r".repeat(64), "crm"));
        assertEquals(1, uses.stream().filter(Optional::isPresent).count(), "used up exactly once: " + uses);
        assertEquals(new TokenStore.Holder("crm", null), uses.stream().flatMap(Optional::stream).findFirst().get());
        assertEquals(Optional.empty(), tokens.consumeRefresh("r".repeat(64), "crm"), "used up");

        tokens.insertPair("c".repeat(64), 60, "e".repeat(64), 3600, "crm", null);
        rows.update("UPDATE il_token SET expires_at = ? WHERE token_sha256 = ?", rows.storeNow() - 1, "e".repeat(64));
        assertEquals(Optional.empty(), tokens.consumeRefresh("e".repeat(64), "crm"), "expired");
    }

    @Test
    void aPairIsStoredWholeOrNotAtAll() {
        tokens.insertPair("a".repeat(64), 60, "r".repeat(64), 3600, "crm", null);
        assertThrows(StoreUnavailableException.class,
                () -> tokens.insertPair("b".repeat(64), 60, "r".repeat(64), 3600, "crm", null));
        assertEquals(Optional.empty(), tokens.find("b".repeat(64), TokenStore.Kind.ACCESS));
    }

    private static void assertBetween(long beforeMillis, Instant actual, long afterMillis) {
        assertTrue(actual != null && actual.toEpochMilli() >= beforeMillis && actual.toEpochMilli() <= afterMillis,
                actual + " is not between " + Instant.ofEpochMilli(beforeMillis) + " and "
                        + Instant.ofEpochMilli(afterMillis));
    }

    private static void assertCloseTo(Instant jvmBefore, Instant actual, Instant jvmAfter) {
        assertBetween(jvmBefore.toEpochMilli() - CLOCK_SLACK_MILLIS, actual,
                jvmAfter.toEpochMilli() + CLOCK_SLACK_MILLIS);
    }

    /**
     * Runs {@code threads} tasks at once, released together, and returns their values in thread
     * order; the first failure fails the test.
     */
    private static <T> List<T> concurrently(int threads, IntFunction<Callable<T>> task) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(threads, new NamedThreadFactory("store-test"));
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int thread = 0; thread < threads; thread++) {
                Callable<T> work = task.apply(thread);
                futures.add(executor.submit(() -> {
                    start.await();
                    return work.call();
                }));
            }
            start.countDown();
            List<T> values = new ArrayList<>();
            for (Future<T> future : futures) {
                values.add(future.get(THREADS_WAIT_SECONDS, TimeUnit.SECONDS));
            }
            return values;
        } finally {
            executor.shutdownNow();
        }
    }
}
