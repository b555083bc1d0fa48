package org.openinfolink.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openinfolink.engine.EngineHarness.result;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openinfolink.job.JobState;
import org.openinfolink.testdb.TestDatabase;

/** The engine suite on PostgreSQL, plus dollar-quoted function bodies and transactional DDL. */
class PostgresEngineTest extends EngineSuite {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }

    @Override
    void addScenarios(EngineHarness home) {
        home.scenario("Functions", """
                parameters:
                  amount: {type: decimal, required: true}
                steps:
                  - opName: RunSourceScript
                    title: functions
                    opParams:
                      script: |
                        CREATE OR REPLACE FUNCTION add_tax(amount numeric) RETURNS numeric AS $$
                          SELECT amount * 1.2; -- a semicolon in a comment; inside the body
                        $$ LANGUAGE sql;
                        CREATE OR REPLACE FUNCTION size_of(amount numeric) RETURNS text AS $body$
                        BEGIN
                          IF amount > 100 THEN
                            RETURN 'big; really';
                          END IF;
                          RETURN $$small$$;
                        END;
                        $body$ LANGUAGE plpgsql
                  - opName: Transform
                    opParams:
                      query: SELECT add_tax(${amount}) AS total, size_of(${amount}) AS size
                      returnResult: true
                      resultName: taxed
                """);
        home.scenario("DdlRollback", """
                steps:
                  - opName: RunSourceScript
                    title: ddl
                    opParams:
                      script: |
                        CREATE TABLE ddl_t (id integer);
                        INSERT INTO ddl_t VALUES (1);
                        INSERT INTO ddl_t VALUES (1 / 0)
                """);
    }

    @Test
    void scriptCreatesFunctionsWithDollarQuotedBodies() throws Exception {
        EngineHarness.Finished small = harness.runCompleted("Functions", Map.of("amount", "100"));

        assertEquals(2, small.trace().get(0).statements().size(), "two statements, whatever the ; in the bodies");
        assertEquals(List.of(List.of(new BigDecimal("120.0"), "small")),
                values(result(small, "taxed"), "total", "size"));
        EngineHarness.Finished big = harness.runCompleted("Functions", Map.of("amount", new BigDecimal("150.5")));
        assertEquals(List.of(List.of(new BigDecimal("180.60"), "big; really")),
                values(result(big, "taxed"), "total", "size"));
    }

    @Test
    void failingScriptRollsBackItsDdlToo() throws Exception {
        EngineHarness.Finished done = harness.run("DdlRollback", Map.of());

        assertEquals(JobState.COMPLETED_WITH_ERROR, done.state());
        assertTrue(done.message().startsWith("Step 1 (ddl) failed: statement 3 (INSERT INTO ddl_t VALUES (1 / 0)): "),
                done.message());
        assertEquals(List.of(Arrays.asList((Object) null)), rows(db, "SELECT to_regclass('ddl_t')::text"),
                "the table created by statement 1 is rolled back");
    }

    @Override
    String series(long count) {
        // In the select list (not FROM) generate_series streams; in FROM it is materialized first.
        return "SELECT generate_series(1, " + count + ") AS n";
    }

    @Override
    String longQuery(String tag) {
        return "SELECT pg_sleep(60) AS " + tag;
    }

    @Override
    String longStatement(String tag) {
        return longQuery(tag);
    }

    @Override
    String runningStatementsSql() {
        return "SELECT count(*) FROM pg_stat_activity"
                + " WHERE state = 'active' AND query LIKE ? AND pid <> pg_backend_pid()";
    }

    @Override
    String timestampType() {
        return "TIMESTAMP";
    }

    @Override
    String createSchema(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA side");
        }
        return "side";
    }

    @Override
    String quirkyStatement() {
        return "INSERT INTO notes (id, note) VALUES (20, E'it\\'s; escaped')";
    }

    @Override
    String queryTimeoutMessage() {
        return "(SQLState 57014)";
    }

    @Override
    Map<String, String> createdTypedColumns() {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("id", "integer");
        columns.put("i_int", "integer");
        columns.put("big", "bigint");
        columns.put("d_dec", "numeric(30,10)");
        columns.put("t_text", "character varying(50)");
        columns.put("n_null", "character varying(10)");
        columns.put("flag", "boolean");
        columns.put("dt", "date");
        columns.put("ts", "timestamp without time zone(6)");
        return columns;
    }

    @Override
    Map<String, String> typedTypeStrings() {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("id", "integer");
        columns.put("i_int", "integer");
        columns.put("big", "bigint");
        columns.put("d_dec", "numeric(30,10)");
        columns.put("t_text", "varchar(50)");
        columns.put("n_null", "varchar(10)");
        columns.put("flag", "boolean");
        columns.put("dt", "date");
        columns.put("ts", "timestamp");
        return columns;
    }
}
