package org.openinfolink.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openinfolink.job.JobRecord;
import org.openinfolink.job.JobState;
import org.openinfolink.json.Json;
import org.openinfolink.sql.ColumnCodec;
import org.openinfolink.sql.ColumnInfo;
import org.openinfolink.sql.ColumnTypes;
import org.openinfolink.sql.SqlDialect;
import org.openinfolink.testdb.DatabaseServer;
import org.openinfolink.testdb.TestDatabase;
import org.openinfolink.testsupport.Poll;

/**
 * A result set larger than {@link SqlSteps#HAND_OVER_AFTER_ROWS} is read on the job's thread and
 * written on another: it must come out byte for byte as a result written on one thread, and keep
 * the limits, the row cap and the stop of a result that is not handed over.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResultHandOverTest {

    private static final int ROWS = SqlSteps.HAND_OVER_AFTER_ROWS * 2 + 1_234;
    private static final int MAX_RESULT_ROWS = SqlSteps.HAND_OVER_AFTER_ROWS * 3;
    private static final int LIMIT = SqlSteps.HAND_OVER_AFTER_ROWS + 5_001;

    private final Map<TestDatabase, EngineHarness> harnesses = new EnumMap<>(TestDatabase.class);
    private final Map<TestDatabase, DatabaseServer> databases = new EnumMap<>(TestDatabase.class);

    @AfterAll
    void stopServers() {
        harnesses.values().forEach(EngineHarness::close);
    }

    /** Six columns of every kind of codec the large results of users mostly have, NULLs among them. */
    private static String typedRows(TestDatabase kind, long rows) {
        return typedRows(kind, rows, false);
    }

    /**
     * The rows of {@link #typedRows(TestDatabase, long)}, streamed by the database as they are
     * fetched; with {@code slowAfterHandOver} each row after the hand-over takes a millisecond.
     */
    private static String typedRows(TestDatabase kind, long rows, boolean slowAfterHandOver) {
        int handOver = SqlSteps.HAND_OVER_AFTER_ROWS;
        if (kind == TestDatabase.POSTGRESQL) {
            // generate_series streams in the select list; in FROM it is materialized first
            return "SELECT i AS id, CASE WHEN i % 7 = 0 THEN NULL ELSE 'name-' || i END AS name,"
                    + " (i / 100.0)::numeric(12,2) AS amount, i / 3.0::float8 AS ratio, i % 2 = 0 AS flag,"
                    + " TIMESTAMP '2026-01-01' + i * INTERVAL '1 second' AS created"
                    + (slowAfterHandOver ? ", pg_sleep(CASE WHEN i > " + handOver + " THEN 0.001 ELSE 0 END) AS pause" : "")
                    + " FROM (SELECT generate_series(1, " + rows + ") AS i) AS series";
        }
        return "SELECT \"X\" AS id, CASE WHEN MOD(\"X\", 7) = 0 THEN NULL ELSE CONCAT('name-', \"X\") END AS name,"
                + " CAST(\"X\" / 100.0 AS DECIMAL(12,2)) AS amount, CAST(\"X\" AS DOUBLE PRECISION) / 3 AS ratio,"
                + " MOD(\"X\", 2) = 0 AS flag, DATEADD(SECOND, \"X\", TIMESTAMP '2026-01-01 00:00:00') AS created"
                // a deterministic function of the row: H2 reads a query calling any other function
                // whole before its first row, and the rows would not stream
                + (slowAfterHandOver ? ", CASE WHEN \"X\" > " + handOver + " THEN SLEEP_MS(\"X\" - \"X\" + 1) END AS pause"
                        : "")
                + " FROM SYSTEM_RANGE(1, " + rows + ")";
    }

    private EngineHarness harness(TestDatabase kind) throws Exception {
        EngineHarness existing = harnesses.get(kind);
        if (existing != null) {
            return existing;
        }
        String prefix = "handover_" + kind.name().toLowerCase(Locale.ROOT);
        DatabaseServer db = kind.server().createDatabase(prefix);
        Map<String, DatabaseServer> sources = new LinkedHashMap<>();
        sources.put("db", db);
        EngineHarness harness = new EngineHarness(prefix)
                .settings("jobs:\n  maxResultRows: " + MAX_RESULT_ROWS + "\n  statementFetchSize: 500\n")
                .app(sources, "");
        harness.scenario("Typed", step("typed", typedRows(kind, ROWS), ""));
        harness.scenario("Limited", step("limited", typedRows(kind, 1_000_000_000L), "limit: " + LIMIT));
        harness.scenario("TooMany", step("too_many", typedRows(kind, MAX_RESULT_ROWS + 1L), ""));
        String slow = step("slow", typedRows(kind, MAX_RESULT_ROWS, true), "");
        if (kind == TestDatabase.H2) {
            slow = slow.replace("steps:\n", "steps:\n  - opName: RunSourceScript\n    opParams:\n"
                    + "      script: CREATE ALIAS IF NOT EXISTS SLEEP_MS DETERMINISTIC FOR \"java.lang.Thread.sleep\"\n");
        }
        harness.scenario("Slow", slow);
        harness.start();
        harnesses.put(kind, harness);
        databases.put(kind, db);
        return harness;
    }

    private static String step(String name, String query, String more) {
        return """
                steps:
                  - opName: Transform
                    title: %s
                    opParams:
                      query: %s
                      returnResult: true
                      resultName: %s
                      %s
                """.formatted(name, Json.mapper().valueToTree(query).toString(), name, more);
    }

    /** The records as one thread writes them: each value by its column's codec, straight from the row. */
    private byte[] writtenOnOneThread(TestDatabase kind, String query) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Connection connection = databases.get(kind).connect();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(query);
             JsonGenerator json = Json.generator(out)) {
            List<ColumnInfo> columns = ColumnTypes.describe(rs.getMetaData(), SqlDialect.of(connection));
            ColumnCodec[] codecs = columns.stream().map(ColumnInfo::codec).toArray(ColumnCodec[]::new);
            json.writeStartArray();
            while (rs.next()) {
                json.writeStartObject();
                for (int i = 0; i < codecs.length; i++) {
                    json.writeFieldName(columns.get(i).name());
                    codecs[i].writeJson(rs, i + 1, json);
                }
                json.writeEndObject();
            }
            json.writeEndArray();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRESQL"})
    void aLargeResultHandedOverIsWrittenByteForByteAsOnOneThread(TestDatabase kind) throws Exception {
        EngineHarness.Finished done = harness(kind).runCompleted("Typed", Map.of());

        EngineHarness.StoredResult result = EngineHarness.result(done, "typed");
        assertEquals(ROWS, result.rows());
        assertEquals(Long.valueOf(ROWS), done.trace().get(0).rows());
        assertArrayEquals(writtenOnOneThread(kind, typedRows(kind, ROWS)), result.records());
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRESQL"})
    void aLimitBeyondTheHandOverIsKeptExactly(TestDatabase kind) throws Exception {
        EngineHarness.Finished done = harness(kind).runCompleted("Limited", Map.of());

        assertEquals(LIMIT, EngineHarness.result(done, "limited").rows());
        List<String> ids = EngineHarness.column(EngineHarness.result(done, "limited"), "id");
        assertEquals(LIMIT, ids.size());
        assertEquals(String.valueOf(LIMIT), ids.get(LIMIT - 1));
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRESQL"})
    void theRowCapBeyondTheHandOverFailsTheStepAndKeepsNoPartialSet(TestDatabase kind) throws Exception {
        EngineHarness.Finished done = harness(kind).run("TooMany", Map.of());

        assertEquals(JobState.COMPLETED_WITH_ERROR, done.state());
        assertEquals("Step 1 (too_many) failed: result set 'too_many' has more than " + MAX_RESULT_ROWS
                + " rows (jobs.maxResultRows)", done.message());
        assertEquals(List.of(), done.results());
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRESQL"})
    void aStopWhileTheResultIsHandedOverEndsTheJobStoppedWithoutTheSet(TestDatabase kind) throws Exception {
        EngineHarness harness = harness(kind);
        JobRecord job = harness.submit("Slow", Map.of());
        // the first rows stream at some hundred thousand a second, every row after the hand-over
        // takes a millisecond: once the chunks written hold more rows than the hand-over's, and
        // one more, the job is past it and far from its end
        long rowsPerChunk = Poll.until(Duration.ofSeconds(60), () -> rowsInFirstChunk(harness, job),
                rows -> rows > 0, "the first chunk of the result set written");
        long pastHandOver = SqlSteps.HAND_OVER_AFTER_ROWS / rowsPerChunk + 2;
        Poll.until(Duration.ofSeconds(60), () -> chunksWritten(harness, job), chunks -> chunks >= pastHandOver,
                pastHandOver + " chunks of the result set written");
        harness.stop(job);

        EngineHarness.Finished done = harness.await(job, Duration.ofSeconds(20));
        assertEquals(JobState.STOPPED, done.state(), done.message());
        assertEquals(List.of(), done.results(), "the set being read is not kept");
        StepTrace read = done.trace().get(done.trace().size() - 1);
        assertEquals("stopped", read.outcome(), done.trace().toString());
    }

    /** How many records begin in the first chunk of the job's result set; 0 while it is not written. */
    private static long rowsInFirstChunk(EngineHarness harness, JobRecord job) throws SQLException {
        try (Connection connection = harness.server().dataSources().defaultSource().getConnection();
             PreparedStatement first = connection.prepareStatement(
                     "SELECT data FROM il_result_chunk WHERE job_seq = ? AND chunk_no = 0")) {
            first.setLong(1, job.seq());
            try (ResultSet rs = first.executeQuery()) {
                if (!rs.next()) {
                    return 0;
                }
                String text = new String(rs.getBytes(1), StandardCharsets.UTF_8);
                return text.split("\\{\"id\":", -1).length - 1;
            }
        }
    }

    /** The chunks of the job's result sets in the store so far. */
    private static long chunksWritten(EngineHarness harness, JobRecord job) throws SQLException {
        try (Connection connection = harness.server().dataSources().defaultSource().getConnection();
             PreparedStatement count = connection.prepareStatement(
                     "SELECT COUNT(*) FROM il_result_chunk WHERE job_seq = ?")) {
            count.setLong(1, job.seq());
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
