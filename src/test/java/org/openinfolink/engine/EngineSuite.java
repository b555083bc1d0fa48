package org.openinfolink.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openinfolink.engine.EngineHarness.column;
import static org.openinfolink.engine.EngineHarness.names;
import static org.openinfolink.engine.EngineHarness.records;
import static org.openinfolink.engine.EngineHarness.result;


import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openinfolink.engine.EngineHarness.Finished;
import org.openinfolink.engine.EngineHarness.StoredColumn;
import org.openinfolink.engine.EngineHarness.StoredResult;
import org.openinfolink.job.JobRecord;
import org.openinfolink.job.JobState;
import org.openinfolink.job.StopOutcome;
import org.openinfolink.sql.StandardType;
import org.openinfolink.testdb.DatabaseServer;
import org.openinfolink.testdb.TestDatabase;
import org.openinfolink.testsupport.Poll;

/**
 * The scenario engine end to end on one database kind: a server started from a configuration
 * home whose app has two sources on fresh databases of that kind ({@code db}, the default, and
 * {@code other}), scenarios written in YAML as a user writes them, jobs run through the job
 * registry, results read back from their spools and tables read back with plain JDBC.
 *
 * <p>Each subclass names the database and the few pieces of SQL that differ between databases
 * (long statements, number series, the session list). Subclasses may add scenarios and tests of
 * their own database's features.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EngineSuite {

    /** {@code jobs.maxResultRows} of the test home. */
    static final int MAX_RESULT_ROWS = 50;

    /** The contract's bound for a stop to interrupt a running statement. */
    static final Duration STOP_BOUND = Duration.ofSeconds(2);

    /** How long a test waits for the database to show a statement running, or no longer running. */
    static final Duration DATABASE_WAIT = Duration.ofSeconds(30);

    private static final String COLUMNS_SQL = "SELECT column_name, data_type, character_maximum_length,"
            + " numeric_precision, numeric_scale, datetime_precision FROM information_schema.columns"
            + " WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position";

    protected DatabaseServer db;
    protected DatabaseServer other;
    protected EngineHarness harness;

    /** The database kind under test. */
    abstract TestDatabase database();

    /** A query whose column {@code n} counts 1, 2, ... {@code count}, in that order, streamed by the database. */
    abstract String series(long count);

    /** A query that runs for a minute or more; {@code tag} appears in its text (as a column label). */
    abstract String longQuery(String tag);

    /** A script statement that runs for a minute or more; {@code tag} appears in its text. */
    abstract String longStatement(String tag);

    /**
     * SQL counting the other sessions whose running statement's text is LIKE the one bound
     * parameter.
     */
    abstract String runningStatementsSql();

    /** The column type to declare for a date and time without zone. */
    abstract String timestampType();

    /** Creates a schema (or what this database uses as one) in {@link #db}; returns its name. */
    abstract String createSchema(Connection connection) throws SQLException;

    /**
     * An extra script statement, with comments or quoting of this database's own, that inserts
     * into {@code notes} the row {@code (20, 'it''s; escaped')}.
     */
    abstract String quirkyStatement();

    /** What the step's message says when a {@code queryTimeoutSeconds} stops a statement. */
    abstract String queryTimeoutMessage();

    /**
     * The metadata of the table {@code Transform into} creates for the columns of {@code typed}:
     * per column, its type as {@link #describeColumns} writes it.
     */
    abstract Map<String, String> createdTypedColumns();

    /** The {@code typeStr} of each column of {@code typed} in a result's schema, in column order. */
    abstract Map<String, String> typedTypeStrings();

    /** Subclasses add scenarios for their own database here. */
    void addScenarios(EngineHarness home) {
    }

    @BeforeAll
    void startServer() throws Exception {
        String prefix = "engine_" + database().name().toLowerCase(Locale.ROOT);
        db = database().server().createDatabase(prefix);
        other = database().server().createDatabase(prefix + "_other");
        createFixtures();

        Map<String, DatabaseServer> sources = new LinkedHashMap<>();
        sources.put("db", db);
        sources.put("other", other);
        harness = new EngineHarness(prefix)
                .settings("""
                        jobs:
                          maxConcurrent: 2
                          maxResultRows: %d
                          statementFetchSize: 10
                          shutdownTimeoutSeconds: 10
                        """.formatted(MAX_RESULT_ROWS))
                .app(sources, """
                        variables:
                          marker: initial
                          region: EU
                        """);
        writeScenarios(harness);
        addScenarios(harness);
        harness.start();
    }

    @AfterAll
    void stopServer() {
        if (harness != null) {
            harness.close();
        }
    }

    private void createFixtures() throws SQLException {
        execute(db,
                "CREATE TABLE typed (id INTEGER PRIMARY KEY, i_int INTEGER, big BIGINT, d_dec DECIMAL(30,10),"
                        + " t_text VARCHAR(50), n_null VARCHAR(10), flag BOOLEAN, dt DATE, ts " + timestampType() + ")",
                "INSERT INTO typed VALUES (1, 42, 9223372036854775807, 12345678901234567890.1234567890,"
                        + " 'It''s; \"quoted\"', NULL, TRUE, DATE '2026-11-29', TIMESTAMP '2026-11-29 20:11:29')",
                "INSERT INTO typed VALUES (2, -7, -1, -0.5000000000, 'second', 'x', FALSE, DATE '1999-12-31',"
                        + " TIMESTAMP '1999-12-31 23:59:59')",
                "CREATE TABLE people (id INTEGER, name VARCHAR(20))",
                "INSERT INTO people VALUES (1, 'Ann'), (2, 'Bob'), (3, 'Cy'), (4, 'Di'), (5, NULL), (100, 'Dup')",
                "CREATE TABLE numbers (n INTEGER PRIMARY KEY)",
                "INSERT INTO numbers VALUES (1), (2), (3), (4), (5), (6), (7), (8), (9), (10)",
                "CREATE TABLE notes (id INTEGER PRIMARY KEY, note VARCHAR(100))",
                "CREATE TABLE rollback_t (id INTEGER PRIMARY KEY)",
                "CREATE TABLE stop_t (id INTEGER PRIMARY KEY)");
    }

    private void writeScenarios(EngineHarness home) {
        home.scenario("Typed", """
                description: Typed columns, returned under a templated name
                parameters:
                  tag: {type: text, default: plain}
                steps:
                  - opName: Transform
                    opParams:
                      query: SELECT id, i_int, big, d_dec, t_text, n_null, flag, dt, ts FROM typed ORDER BY id
                      returnResult: true
                      resultName: typed_${tag}
                """);
        home.scenario("Empty", """
                steps:
                  - opName: Transform
                    opParams:
                      query: SELECT id, t_text FROM typed WHERE id < 0
                      returnResult: true
                      resultName: nothing
                  - opName: Transform
                    opParams:
                      query: SELECT id FROM typed WHERE id < 0
                      returnResult: true
                """);
        home.scenario("Limited", """
                steps:
                  - opName: Transform
                    opParams:
                      query: %s
                      returnResult: true
                      resultName: first_three
                      limit: 3
                """.formatted(series(1_000_000_000L)));
        home.scenario("AtTheLimit", """
                steps:
                  - opName: Transform
                    opParams:
                      query: %s
                      returnResult: true
                      resultName: fifty
                """.formatted(series(MAX_RESULT_ROWS)));
        home.scenario("OverTheLimit", """
                steps:
                  - opName: Transform
                    opParams:
                      query: SELECT 'kept' AS word
                      returnResult: true
                      resultName: before
                  - opName: Transform
                    title: one too many
                    opParams:
                      query: %s
                      returnResult: true
                      resultName: many
                """.formatted(series(MAX_RESULT_ROWS + 1)));
        home.scenario("Huge", """
                steps:
                  - opName: Transform
                    title: huge
                    opParams:
                      query: %s
                      returnResult: true
                      resultName: huge
                """.formatted(series(1_000_000_000L)));

        home.scenario("CopyTyped", """
                parameters:
                  suffix: {type: text, required: true}
                steps:
                  - opName: Transform
                    opParams:
                      query: SELECT id, i_int, big, d_dec, t_text, n_null, flag, dt, ts FROM typed ORDER BY id
                      into: {tableName: "copy_${suffix}"}
                """);
        for (String mode : List.of("append", "replace")) {
            String name = mode.equals("append") ? "Append" : "Replace";
            home.scenario(name, """
                    parameters:
                      table: {type: text, required: true}
                      fromId: {type: integer, default: 1}
                      toId: {type: integer, default: 100}
                    steps:
                      - opName: Transform
                        title: people into ${table}
                        opParams:
                          query: |
                            SELECT id, name FROM people
                            WHERE id BETWEEN ${fromId} AND ${toId}
                            ORDER BY id
                          into:
                            tableName: ${table}
                            mode: %s
                            batchSize: 2
                    """.formatted(mode));
        }
        home.scenario("CopyAcross", """
                steps:
                  - opName: Transform
                    opParams:
                      sourceName: db
                      query: SELECT id, name FROM people ORDER BY id
                      into: {sourceName: other, tableName: people_copy}
                """);

        home.scenario("Script", """
                parameters:
                  gone: {type: integer, required: true}
                  newId: {type: integer, required: true}
                  note: {type: text, required: true}
                steps:
                  - opName: RunSourceScript
                    title: notes
                    opParams:
                      script: |
                        INSERT INTO notes (id, note) VALUES (1, 'a;b'), (2, 'it''s; fine'), (3, 'three');
                        -- a comment; with a semicolon
                        /* a block comment; with one too */
                        UPDATE notes SET note = CONCAT(note, '!') WHERE id <= 2;
                        DELETE FROM notes WHERE id = ${gone};
                        INSERT INTO notes (id, note) VALUES (${newId}, ${note});
                        %s
                """.formatted(quirkyStatement().replace("\n", "\n        ")));
        home.scenario("ScriptFails", """
                steps:
                  - opName: RunSourceScript
                    title: duplicate
                    opParams:
                      script: |
                        INSERT INTO rollback_t (id) VALUES (1);
                        INSERT INTO rollback_t (id) VALUES (2);
                        INSERT INTO rollback_t (id) VALUES (1)
                """);

        home.scenario("SetMarker", """
                parameters:
                  value: {type: text, required: true}
                steps:
                  - opName: SetVariable
                    opParams: {name: marker, value: "m-${value}"}
                  - opName: Transform
                    opParams:
                      query: SELECT ${marker} AS seen
                      returnResult: true
                      resultName: seen_${marker}
                """);
        home.scenario("ReadMarker", """
                steps:
                  - opName: Transform
                    opParams:
                      query: SELECT ${marker} AS seen, ${region} AS region
                      returnResult: true
                      resultName: read_${marker}
                """);

        home.scenario("Outer", """
                parameters:
                  country: {type: text, required: true}
                  n: {type: integer, default: 2}
                steps:
                  - opName: Transform
                    opParams:
                      query: SELECT ${country} AS country
                      returnResult: true
                      resultName: outer_first
                  - opName: RunScenario
                    opParams:
                      scenario: Inner
                      parameters:
                        label: lit
                        count: "${n}"
                        day: "2026-11-29"
                        who: "${country}-${n}"
                  - opName: Transform
                    opParams:
                      query: SELECT 'last' AS word
                      returnResult: true
                      resultName: outer_last
                """);
        home.scenario("OuterBadCount", """
                parameters:
                  country: {type: text, required: true}
                steps:
                  - opName: RunScenario
                    opParams:
                      scenario: Inner
                      parameters: {label: bad, count: "${country}", day: "2026-11-29"}
                """);
        home.scenario("Inner", """
                parameters:
                  label: {type: text, required: true}
                  count: {type: integer, required: true}
                  day: {type: date, required: true}
                  who: {type: text, default: nobody}
                steps:
                  - opName: Transform
                    opParams:
                      query: SELECT n FROM numbers WHERE n <= ${count} ORDER BY n
                      returnResult: true
                      resultName: inner_${label}
                  - opName: Transform
                    opParams:
                      query: SELECT id, ${who} AS who FROM typed WHERE dt = ${day}
                      returnResult: true
                      resultName: inner_day
                """);

        String matchAll = """
                      query: |
                        SELECT id FROM typed
                        WHERE t_text = ${t} AND i_int = ${i} AND d_dec = ${d} AND flag = ${b}
                          AND dt = ${day} AND ts = ${at}
                        ORDER BY id
                      returnResult: true
                      resultName: matched
                """;
        home.scenario("Params", """
                parameters:
                  t: {type: text}
                  i: {type: integer}
                  d: {type: decimal}
                  b: {type: boolean}
                  day: {type: date}
                  at: {type: datetime}
                steps:
                  - opName: Transform
                    opParams:
                """ + matchAll);
        home.scenario("Defaults", """
                parameters:
                  t: {type: text, default: "It's; \\"quoted\\""}
                  i: {type: integer, default: 42}
                  d: {type: decimal, default: "12345678901234567890.1234567890"}
                  b: {type: boolean, default: true}
                  day: {type: date, default: "2026-11-29"}
                  at: {type: datetime, default: "2026-11-29T20:11:29"}
                steps:
                  - opName: Transform
                    opParams:
                """ + matchAll);
        home.scenario("Optional", """
                parameters:
                  opt: {type: integer}
                steps:
                  - opName: Transform
                    opParams:
                      query: SELECT id FROM typed WHERE ${opt} IS NULL OR i_int = ${opt} ORDER BY id
                      returnResult: true
                      resultName: matched
                """);
        home.scenario("ByText", """
                parameters:
                  t: {type: text, required: true}
                steps:
                  - opName: Transform
                    opParams:
                      query: SELECT id FROM typed WHERE t_text = ${t} ORDER BY id
                      returnResult: true
                      resultName: matched
                """);

        home.scenario("BuiltIns", """
                steps:
                  - opName: Transform
                    opParams:
                      query: |
                        SELECT ${jobId} AS job_id, ${appId} AS app_id, ${scenario} AS scenario_name,
                          ${now} AS started
                      returnResult: true
                      resultName: ${appId}/${scenario}/${jobId}/${now}
                """);

        home.scenario("LongQuery", """
                steps:
                  - opName: Transform
                    title: long query
                    opParams:
                      query: %s
                      returnResult: true
                      resultName: never
                """.formatted(longQuery("stop_me")));
        home.scenario("LongScript", """
                steps:
                  - opName: RunSourceScript
                    title: long script
                    opParams:
                      script: |
                        INSERT INTO stop_t (id) VALUES (1);
                        INSERT INTO stop_t (id) VALUES (2);
                        %s
                """.formatted(longStatement("stop_script")));
        home.scenario("TimesOut", """
                timeoutSeconds: 1
                steps:
                  - opName: Transform
                    opParams:
                      query: %s
                      returnResult: true
                      resultName: never
                """.formatted(longQuery("job_timeout")));
        home.scenario("StepTimesOut", """
                steps:
                  - opName: Transform
                    title: slow step
                    opParams:
                      query: %s
                      returnResult: true
                      resultName: never
                      queryTimeoutSeconds: 1
                """.formatted(longQuery("step_timeout")));
    }

    // ----------------------------------------------------------------- Transform returnResult

    @Test
    void resultHasItsTemplatedNameAndColumnsAndRecordsTypedByTheContract() throws Exception {
        Finished done = harness.runCompleted("Typed", Map.of("tag", "abc"));

        assertEquals(List.of("typed_abc"), names(done));
        StoredResult typed = result(done, "typed_abc");
        assertEquals(List.of("id", "i_int", "big", "d_dec", "t_text", "n_null", "flag", "dt", "ts"),
                typed.columns().stream().map(StoredColumn::name).toList());
        assertEquals(List.of(StandardType.INTEGER, StandardType.INTEGER, StandardType.INTEGER, StandardType.DECIMAL,
                        StandardType.TEXT, StandardType.TEXT, StandardType.BOOLEAN, StandardType.DATE,
                        StandardType.DATETIME),
                typed.columns().stream().map(StoredColumn::standardType).toList());
        Map<String, String> typeStrings = new LinkedHashMap<>();
        for (StoredColumn info : typed.columns()) {
            typeStrings.put(info.name(), info.typeStr());
        }
        assertEquals(typedTypeStrings(), typeStrings, "the database's own types");

        List<JsonNode> records = records(typed);
        assertEquals(2, records.size());
        JsonNode first = records.get(0);
        assertTrue(first.get("i_int").isIntegralNumber(), first.toString());
        assertEquals(42, first.get("i_int").intValue());
        assertEquals("9223372036854775807", first.get("big").toString());
        assertTrue(first.get("d_dec").isNumber(), "decimal as a JSON number: " + first);
        assertEquals(new BigDecimal("12345678901234567890.1234567890"), first.get("d_dec").decimalValue());
        assertEquals("12345678901234567890.1234567890", first.get("d_dec").toString(), "every digit kept");
        assertEquals("It's; \"quoted\"", first.get("t_text").textValue());
        assertTrue(first.get("n_null").isNull(), first.toString());
        assertEquals(true, first.get("flag").booleanValue());
        assertTrue(first.get("flag").isBoolean(), first.toString());
        assertEquals("2026-11-29", first.get("dt").textValue());
        assertEquals("2026-11-29T20:11:29", first.get("ts").textValue());

        JsonNode second = records.get(1);
        assertEquals(-7, second.get("i_int").intValue());
        assertEquals("-0.5000000000", second.get("d_dec").toString());
        assertEquals("x", second.get("n_null").textValue());
        assertFalse(second.get("flag").booleanValue());
        assertEquals("1999-12-31T23:59:59", second.get("ts").textValue());
    }

    @Test
    void emptyResultsKeepTheirSchemaAndAResultWithoutNameHasNone() throws Exception {
        Finished done = harness.runCompleted("Empty", Map.of());

        assertEquals(2, done.results().size());
        StoredResult nothing = done.results().get(0);
        assertEquals("nothing", nothing.name());
        assertEquals(0, nothing.rows());
        assertEquals(List.of("id", "t_text"), nothing.columns().stream().map(StoredColumn::name).toList());
        assertEquals(List.of(), records(nothing));
        StoredResult unnamed = done.results().get(1);
        assertNull(unnamed.name());
        assertEquals(List.of(), records(unnamed));
        assertEquals(0L, done.trace().get(0).rows());
    }

    @Test
    void limitReadsOnlyTheFirstRowsOfAHugeQuery() throws Exception {
        Finished done = harness.runCompleted("Limited", Map.of());

        assertEquals(List.of("1", "2", "3"), column(result(done, "first_three"), "n"));
        assertEquals(3L, done.trace().get(0).rows());
    }

    @Test
    void resultOfExactlyMaxResultRowsIsKept() throws Exception {
        Finished done = harness.runCompleted("AtTheLimit", Map.of());

        List<String> values = column(result(done, "fifty"), "n");
        assertEquals(MAX_RESULT_ROWS, values.size());
        assertEquals(String.valueOf(MAX_RESULT_ROWS), values.get(MAX_RESULT_ROWS - 1));
    }

    @Test
    void resultOverMaxResultRowsFailsTheJobAndKeepsNoPartialSet() throws Exception {
        Finished done = harness.run("OverTheLimit", Map.of());

        assertEquals(JobState.COMPLETED_WITH_ERROR, done.state());
        assertEquals("Step 2 (one too many) failed: result set 'many' has more than " + MAX_RESULT_ROWS
                + " rows (jobs.maxResultRows)", done.message());
        assertEquals(List.of("before"), names(done), "the set of the failed step is not kept");
        assertEquals("failed", done.trace().get(1).outcome());
    }

    @Test
    void hugeResultIsStreamedAndStopsAtMaxResultRowsWithoutReadingTheRest() throws Exception {
        // A driver that read the whole result before the first row (no fetch size, or no streaming)
        // would spend minutes or run out of memory on a billion rows; streamed, the job fails at row 51.
        Instant started = Instant.now();
        Finished done = harness.run("Huge", Map.of());
        Duration took = Duration.between(started, Instant.now());

        assertEquals(JobState.COMPLETED_WITH_ERROR, done.state());
        assertEquals("Step 1 (huge) failed: result set 'huge' has more than " + MAX_RESULT_ROWS
                + " rows (jobs.maxResultRows)", done.message());
        assertEquals(List.of(), done.results());
        assertTrue(took.compareTo(Duration.ofSeconds(20)) < 0, "took " + took);
    }

    // ----------------------------------------------------------------- Transform into

    @Test
    void intoCreatesAMissingTableFromTheResultSchema() throws Exception {
        Finished done = harness.runCompleted("CopyTyped", Map.of("suffix", "typed"));

        assertEquals(2L, done.trace().get(0).rows());
        assertEquals(List.of(), done.results(), "into returns no result set");
        try (Connection connection = db.connect()) {
            assertEquals(createdTypedColumns(), describeColumns(connection, null, "copy_typed"));
        }
        List<List<Object>> copied = rows(db, "SELECT id, i_int, big, d_dec, t_text, n_null, flag, dt, ts"
                + " FROM copy_typed ORDER BY id");
        assertEquals(Arrays.asList(1L, 42L, Long.MAX_VALUE, new BigDecimal("12345678901234567890.1234567890"),
                "It's; \"quoted\"", null, true, "2026-11-29", "2026-11-29T20:11:29"), copied.get(0));
        assertEquals(Arrays.asList(2L, -7L, -1L, new BigDecimal("-0.5000000000"), "second", "x", false, "1999-12-31",
                "1999-12-31T23:59:59"), copied.get(1));
    }

    @Test
    void appendAddsRowsAndReplaceEmptiesTheTableFirst() throws Exception {
        execute(db, "CREATE TABLE modes_t (id INTEGER PRIMARY KEY, name VARCHAR(20))",
                "INSERT INTO modes_t VALUES (100, 'original')");

        Finished appended = harness.runCompleted("Append", Map.of("table", "modes_t", "fromId", 1, "toId", 3));
        assertEquals(3L, appended.trace().get(0).rows());
        assertEquals(List.of(List.of(1L, "Ann"), List.of(2L, "Bob"), List.of(3L, "Cy"), List.of(100L, "original")),
                rows(db, "SELECT id, name FROM modes_t ORDER BY id"));

        Finished replaced = harness.runCompleted("Replace", Map.of("table", "modes_t", "fromId", 4, "toId", 4));
        assertEquals(1L, replaced.trace().get(0).rows());
        assertEquals(List.of(List.of(4L, "Di")), rows(db, "SELECT id, name FROM modes_t ORDER BY id"));
    }

    @Test
    void uniqueViolationInALaterBatchLeavesTheTableAsItWas() throws Exception {
        execute(db, "CREATE TABLE unique_t (id INTEGER PRIMARY KEY, name VARCHAR(20))",
                "INSERT INTO unique_t VALUES (100, 'original')");

        // Batches of 2: (1, 2) and (3, 4) are inserted, then (5, 100) collides with the existing row.
        Finished done = harness.run("Append", Map.of("table", "unique_t"));

        assertEquals(JobState.COMPLETED_WITH_ERROR, done.state());
        assertTrue(done.message().startsWith("Step 1 (people into ${table}) failed: "), done.message());
        assertEquals("failed", done.trace().get(0).outcome());
        assertEquals(List.of(List.of(100L, "original")), rows(db, "SELECT id, name FROM unique_t ORDER BY id"));
    }

    @Test
    void notNullViolationInALaterBatchUndoesTheReplaceToo() throws Exception {
        execute(db, "CREATE TABLE strict_t (id INTEGER PRIMARY KEY, name VARCHAR(20) NOT NULL)",
                "INSERT INTO strict_t VALUES (100, 'original')");

        // replace deletes row 100, batches (1, 2) and (3, 4) go in, then (5, NULL) breaks NOT NULL.
        Finished done = harness.run("Replace", Map.of("table", "strict_t", "toId", 5));

        assertEquals(JobState.COMPLETED_WITH_ERROR, done.state(), done.message());
        assertEquals(List.of(List.of(100L, "original")), rows(db, "SELECT id, name FROM strict_t ORDER BY id"));
    }

    @Test
    void tableNameThatIsNotAnIdentifierAfterSubstitutionFailsTheStep() throws Exception {
        Finished done = harness.run("CopyTyped", Map.of("suffix", "x; DROP TABLE typed; --"));

        assertEquals(JobState.COMPLETED_WITH_ERROR, done.state());
        assertEquals("Step 1 (Transform: copy_${suffix}) failed: into.tableName 'copy_x; DROP TABLE typed; --'"
                + " is not a plain or schema-qualified identifier", done.message());
        assertEquals(2, rows(db, "SELECT id FROM typed").size(), "typed is still there");
    }

    @Test
    void schemaQualifiedTableIsCreatedInItsSchemaAndFoundThereAgain() throws Exception {
        String schema;
        try (Connection connection = db.connect()) {
            schema = createSchema(connection);
        }
        String table = schema + ".people_copy";

        harness.runCompleted("Append", Map.of("table", table, "toId", 2));
        Finished again = harness.runCompleted("Append", Map.of("table", table, "toId", 2));

        assertEquals(2L, again.trace().get(0).rows());
        assertEquals(List.of(List.of(1L, "Ann"), List.of(1L, "Ann"), List.of(2L, "Bob"), List.of(2L, "Bob")),
                rows(db, "SELECT id, name FROM " + table + " ORDER BY id"));
        try (Connection connection = db.connect()) {
            assertEquals(2, describeColumns(connection, schema, "people_copy").size());
            assertEquals(Map.of(), describeColumns(connection, null, "people_copy"),
                    "nothing created outside the schema");
        }
    }

    @Test
    void intoCopiesFromOneSourceIntoAnother() throws Exception {
        Finished done = harness.runCompleted("CopyAcross", Map.of());

        assertEquals(6L, done.trace().get(0).rows());
        assertEquals(rows(db, "SELECT id, name FROM people ORDER BY id"),
                rows(other, "SELECT id, name FROM people_copy ORDER BY id"));
        try (Connection connection = db.connect()) {
            assertEquals(Map.of(), describeColumns(connection, null, "people_copy"), "not in the source database");
        }
    }

    // ----------------------------------------------------------------- RunSourceScript

    @Test
    void scriptRunsEveryStatementAndTracesTheRowsEachChanged() throws Exception {
        String injected = "x'); DROP TABLE notes; --";
        Finished done = harness.runCompleted("Script", Map.of("gone", "3", "newId", 10, "note", injected));

        List<StepTrace.StatementTrace> statements = done.trace().get(0).statements();
        assertEquals(List.of(1, 2, 3, 4, 5), statements.stream().map(StepTrace.StatementTrace::number).toList());
        assertEquals(List.of(3L, 2L, 1L, 1L, 1L),
                statements.stream().map(StepTrace.StatementTrace::rowsChanged).toList());
        assertTrue(statements.get(1).sql().contains("UPDATE notes"), statements.get(1).sql());
        assertTrue(statements.get(2).sql().startsWith("DELETE FROM notes WHERE id = ${gone}"),
                statements.get(2).sql());
        assertEquals(List.of(List.of(1L, "a;b!"), List.of(2L, "it's; fine!"), List.of(10L, injected),
                        List.of(20L, "it's; escaped")),
                rows(db, "SELECT id, note FROM notes ORDER BY id"));
    }

    @Test
    void failingStatementRollsBackTheEarlierStatementsOfTheScript() throws Exception {
        Finished done = harness.run("ScriptFails", Map.of());

        assertEquals(JobState.COMPLETED_WITH_ERROR, done.state());
        assertTrue(done.message().startsWith(
                "Step 1 (duplicate) failed: statement 3 (INSERT INTO rollback_t (id) VALUES (1)): "), done.message());
        assertEquals(List.of(), rows(db, "SELECT id FROM rollback_t"), "statements 1 and 2 are rolled back");
    }

    // ----------------------------------------------------------------- SetVariable

    @Test
    void variableSetByAStepIsSeenByLaterStepsLaterJobsAndAfterARestart() throws Exception {
        String value = UUID.randomUUID().toString().substring(0, 8);
        String expected = "m-" + value;

        Finished set = harness.runCompleted("SetMarker", Map.of("value", value));
        assertEquals(List.of(List.of(expected)), values(result(set, "seen_" + expected), "seen"));

        Finished later = harness.runCompleted("ReadMarker", Map.of());
        assertEquals(List.of(List.of(expected, "EU")), values(result(later, "read_" + expected), "seen", "region"));

        harness.restart();
        Finished restarted = harness.runCompleted("ReadMarker", Map.of());
        assertEquals(List.of(List.of(expected, "EU")),
                values(result(restarted, "read_" + expected), "seen", "region"));
    }

    // ----------------------------------------------------------------- RunScenario

    @Test
    void nestedScenarioResultsJoinTheJobInOrderWithConvertedParameters() throws Exception {
        Finished done = harness.runCompleted("Outer", Map.of("country", "US", "n", "3"));

        assertEquals(List.of("outer_first", "inner_lit", "inner_day", "outer_last"), names(done));
        assertEquals(List.of("1", "2", "3"), column(result(done, "inner_lit"), "n"),
                "count \"${n}\" converted to the integer 3");
        assertEquals(List.of(List.of(1L, "US-3")), values(result(done, "inner_day"), "id", "who"),
                "day \"2026-11-29\" converted to a date");
        assertEquals(List.of("1", "2.1", "2.2", "2", "3"),
                done.trace().stream().map(StepTrace::label).toList());

        Finished defaults = harness.runCompleted("Outer", Map.of("country", "DE"));
        assertEquals(List.of("1", "2"), column(result(defaults, "inner_lit"), "n"));
        assertEquals(List.of(List.of(1L, "DE-2")), values(result(defaults, "inner_day"), "id", "who"));
    }

    @Test
    void nestedParameterOfTheWrongTypeFailsTheStep() throws Exception {
        Finished done = harness.run("OuterBadCount", Map.of("country", "abc"));

        assertEquals(JobState.COMPLETED_WITH_ERROR, done.state());
        assertEquals("Step 1 (RunScenario: Inner) failed: Parameter 'count' of scenario 'Inner' must be an"
                + " integer, got 'abc'.", done.message());
        assertEquals(List.of(), done.results());
    }

    // ----------------------------------------------------------------- parameters

    @Test
    void parametersOfEveryTypeAreBoundTypedFromJsonScalars() throws Exception {
        Map<String, Object> first = new LinkedHashMap<>();
        first.put("t", "It's; \"quoted\"");
        first.put("i", 42);
        first.put("d", new BigDecimal("12345678901234567890.1234567890"));
        first.put("b", true);
        first.put("day", "2026-11-29");
        first.put("at", "2026-11-29T20:11:29");
        assertEquals(List.of("1"), matched("Params", first));

        Map<String, Object> second = new LinkedHashMap<>();
        second.put("t", "second");
        second.put("i", -7);
        second.put("d", new BigDecimal("-0.5"));
        second.put("b", false);
        second.put("day", "1999-12-31");
        second.put("at", "1999-12-31 23:59:59");
        assertEquals(List.of("2"), matched("Params", second));

        Map<String, Object> offByOne = new LinkedHashMap<>(first);
        offByOne.put("i", 43);
        assertEquals(List.of(), matched("Params", offByOne));
        Map<String, Object> offBySecond = new LinkedHashMap<>(first);
        offBySecond.put("at", "2026-11-29T20:11:30");
        assertEquals(List.of(), matched("Params", offBySecond));
    }

    @Test
    void parametersGivenAsStringsAreConvertedByTheirDeclaredType() throws Exception {
        Map<String, Object> strings = new LinkedHashMap<>();
        strings.put("t", "It's; \"quoted\"");
        strings.put("i", "42");
        strings.put("d", "12345678901234567890.1234567890");
        strings.put("b", "true");
        strings.put("day", "2026-11-29");
        strings.put("at", "2026-11-29T20:11:29");
        assertEquals(List.of("1"), matched("Params", strings));

        RequestRejectedException refused = assertThrows(RequestRejectedException.class,
                () -> harness.submit("Params", Map.of("i", "abc")));
        assertEquals("Parameter 'i' of scenario 'Params' must be an integer, got 'abc'.", refused.getMessage());
        RequestRejectedException undeclared = assertThrows(RequestRejectedException.class,
                () -> harness.submit("Params", Map.of("x", "1")));
        assertEquals("Scenario 'Params' has no parameter 'x'.", undeclared.getMessage());
    }

    @Test
    void defaultsApplyAndAnAbsentOptionalParameterBindsNull() throws Exception {
        assertEquals(List.of("1"), matched("Defaults", Map.of()));
        assertEquals(List.of(), matched("Defaults", Map.of("i", -7)));

        assertEquals(List.of("1", "2"), matched("Optional", Map.of()), "${opt} IS NULL for every row");
        assertEquals(List.of("2"), matched("Optional", Map.of("opt", "-7")));
    }

    @Test
    void requestValuesNeverBecomeSqlText() throws Exception {
        assertEquals(List.of(), matched("ByText", Map.of("t", "x' OR '1'='1")));
        assertEquals(List.of(), matched("ByText", Map.of("t", "'; DROP TABLE typed; --")));
        assertEquals(List.of(), matched("ByText", Map.of("t", "second' --")));
        assertEquals(List.of("1"), matched("ByText", Map.of("t", "It's; \"quoted\"")));
        assertEquals(2, rows(db, "SELECT id FROM typed").size(), "typed is still there");
    }

    // ----------------------------------------------------------------- built-ins

    @Test
    void builtInsAreBoundInSqlAndSubstitutedInResultName() throws Exception {
        String jobId = "built-ins." + UUID.randomUUID().toString().substring(0, 8);
        Finished done = harness.await(harness.submit(jobId, "BuiltIns", Map.of()));
        assertEquals(JobState.COMPLETED, done.state(), done.message());

        String now = DateTimeFormatter.ISO_INSTANT.format(done.startedAt().truncatedTo(ChronoUnit.MILLIS));
        String name = EngineHarness.APP + "/BuiltIns/" + jobId + "/" + now;
        assertEquals(List.of(name), names(done));
        assertEquals(List.of(List.of(jobId, EngineHarness.APP, "BuiltIns", now)),
                values(result(done, name), "job_id", "app_id", "scenario_name", "started"));
    }

    // ----------------------------------------------------------------- stop and timeouts

    @Test
    void stopInterruptsARunningStatementWithinTwoSeconds() throws Exception {
        JobRecord job = harness.submit("LongQuery", Map.of());
        awaitRunning("stop_me");

        Instant stopped = Instant.now();
        assertEquals(StopOutcome.STOP_STARTED, harness.stop(job));
        Finished done = harness.await(job, STOP_BOUND);
        Duration took = Duration.between(stopped, Instant.now());

        assertEquals(JobState.STOPPED, done.state(), done.message());
        assertEquals("Stopped by request", done.message());
        assertEquals(List.of(), done.results());
        assertEquals("stopped", done.trace().get(0).outcome());
        assertEquals(StopOutcome.ALREADY_COMPLETED, harness.stop(job));
        awaitNotRunning("stop_me");
        assertTrue(took.compareTo(STOP_BOUND) <= 0, "took " + took);
    }

    @Test
    void stoppedScriptIsRolledBack() throws Exception {
        JobRecord job = harness.submit("LongScript", Map.of());
        awaitRunning("stop_script");
        assertEquals(List.of(), rows(db, "SELECT id FROM stop_t"), "nothing committed yet");

        harness.stop(job);
        Finished done = harness.await(job, STOP_BOUND);

        assertEquals(JobState.STOPPED, done.state(), done.message());
        assertEquals("Stopped by request", done.message());
        assertEquals("stopped", done.trace().get(0).outcome());
        assertEquals(List.of(), rows(db, "SELECT id FROM stop_t"), "the two inserts are rolled back");
    }

    @Test
    void jobRunningPastItsTimeoutEndsWithTimedOut() throws Exception {
        Finished done = harness.run("TimesOut", Map.of());

        assertEquals(JobState.COMPLETED_WITH_ERROR, done.state(), done.message());
        assertEquals("Job timed out after 1 second", done.message());
        Duration took = Duration.between(done.startedAt(), done.finishedAt());
        assertTrue(took.compareTo(Duration.ofSeconds(1)) >= 0 && took.compareTo(Duration.ofSeconds(6)) < 0,
                "took " + took);
        assertEquals(List.of(), done.results());
    }

    @Test
    void stepQueryTimeoutFailsTheStepWithTheDatabaseError() throws Exception {
        Finished done = harness.run("StepTimesOut", Map.of());

        assertEquals(JobState.COMPLETED_WITH_ERROR, done.state());
        assertTrue(done.message().startsWith("Step 1 (slow step) failed: "), done.message());
        assertTrue(done.message().contains(queryTimeoutMessage()), done.message());
        Duration took = Duration.between(done.startedAt(), done.finishedAt());
        assertTrue(took.compareTo(Duration.ofSeconds(6)) < 0, "took " + took);
    }

    // ----------------------------------------------------------------- helpers

    /** The {@code id}s of the result set {@code matched}, as JSON text. */
    List<String> matched(String scenario, Map<String, ?> parameters) throws Exception {
        return column(result(harness.runCompleted(scenario, parameters), "matched"), "id");
    }

    /** Waits until the database runs a statement whose text contains {@code tag}. */
    void awaitRunning(String tag) throws Exception {
        Poll.until(DATABASE_WAIT, () -> runningStatements(tag), count -> count > 0,
                "a running statement with '" + tag + "'");
    }

    /** Waits until the database runs no statement whose text contains {@code tag}. */
    void awaitNotRunning(String tag) throws Exception {
        Poll.until(DATABASE_WAIT, () -> runningStatements(tag), count -> count == 0,
                "no running statement with '" + tag + "'");
    }

    private long runningStatements(String tag) throws SQLException {
        try (Connection connection = db.connect();
             PreparedStatement statement = connection.prepareStatement(runningStatementsSql())) {
            statement.setString(1, "%" + tag + "%");
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static void execute(DatabaseServer database, String... statements) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /**
     * The rows of a query read with plain JDBC: integers as Long, decimals as BigDecimal, booleans
     * as Boolean, dates and timestamps as ISO text, the rest as strings.
     */
    static List<List<Object>> rows(DatabaseServer database, String sql) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (Connection connection = database.connect();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(plain(rs, i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static Object plain(ResultSet rs, int column) throws SQLException {
        Object value = switch (rs.getMetaData().getColumnType(column)) {
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT ->
                    rs.getLong(column);
            case Types.DECIMAL, Types.NUMERIC -> rs.getBigDecimal(column);
            case Types.BIT, Types.BOOLEAN -> rs.getBoolean(column);
            case Types.DATE -> String.valueOf(rs.getObject(column, LocalDate.class));
            case Types.TIMESTAMP -> String.valueOf(rs.getObject(column, LocalDateTime.class));
            default -> rs.getString(column);
        };
        return rs.wasNull() ? null : value;
    }

    /**
     * The columns of a table as the database's {@code information_schema.columns} describes them,
     * by name: the {@code data_type} in lower case, followed by the character length, the
     * precision and scale of a decimal, or the fractional digits of a time or timestamp, e.g.
     * {@code character varying(50)}, {@code numeric(30,10)}, {@code datetime(6)}. Empty when there
     * is no such table.
     *
     * @param schema the schema (MariaDB: the database), or null for the connection's own
     */
    static Map<String, String> describeColumns(Connection connection, String schema, String table)
            throws SQLException {
        String owner = schema != null ? schema
                : connection.getMetaData().supportsSchemasInTableDefinitions() ? connection.getSchema()
                : connection.getCatalog();
        Map<String, String> columns = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(COLUMNS_SQL)) {
            statement.setString(1, owner);
            statement.setString(2, table);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    String type = rs.getString("data_type").toLowerCase(Locale.ROOT);
                    String size = "";
                    if (rs.getObject("character_maximum_length") != null) {
                        size = "(" + rs.getLong("character_maximum_length") + ")";
                    } else if (type.equals("numeric") || type.equals("decimal")) {
                        size = "(" + rs.getInt("numeric_precision") + "," + rs.getInt("numeric_scale") + ")";
                    } else if (type.contains("time") && rs.getObject("datetime_precision") != null) {
                        size = "(" + rs.getInt("datetime_precision") + ")";
                    }
                    columns.put(rs.getString("column_name"), type + size);
                }
            }
        }
        return columns;
    }

    /** Some columns of every record of a result set, as Java values (numbers as Long where integral). */
    static List<List<Object>> values(StoredResult result, String... columns) throws Exception {
        List<List<Object>> values = new ArrayList<>();
        for (JsonNode record : records(result)) {
            List<Object> row = new ArrayList<>();
            for (String column : columns) {
                JsonNode value = record.get(column);
                assertTrue(value != null, () -> "no column " + column + " in " + record);
                row.add(value.isNull() ? null : value.isIntegralNumber() ? (Object) value.longValue()
                        : value.isNumber() ? value.decimalValue() : value.isBoolean() ? value.booleanValue()
                        : value.asText());
            }
            values.add(row);
        }
        return values;
    }
}
