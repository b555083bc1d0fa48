package org.openinfolink.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openinfolink.testdb.TestDatabase;

/** The engine suite on H2 in memory, as the embedded default database runs it (lower-case names, lazy queries). */
class H2EngineTest extends EngineSuite {

    /** H2 sums this range for hours and notices a cancel within milliseconds. */
    private static final String RANGE = "SYSTEM_RANGE(1, 100000000000)";

    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }

    @Override
    String series(long count) {
        return "SELECT \"X\" AS n FROM SYSTEM_RANGE(1, " + count + ")";
    }

    @Override
    String longQuery(String tag) {
        return "SELECT SUM(\"X\") AS " + tag + " FROM " + RANGE;
    }

    @Override
    String longStatement(String tag) {
        return longQuery(tag);
    }

    @Override
    String runningStatementsSql() {
        return "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS"
                + " WHERE EXECUTING_STATEMENT LIKE ? AND SESSION_ID <> SESSION_ID()";
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
        return "// an H2 line comment; with a semicolon\n"
                + "INSERT INTO notes (id, note) VALUES (20, $$it's; escaped$$)";
    }

    @Override
    String queryTimeoutMessage() {
        return "Statement was canceled or the session timed out";
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
        columns.put("ts", "timestamp(9)");
        return columns;
    }

    @Override
    Map<String, String> typedTypeStrings() {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("id", "integer");
        columns.put("i_int", "integer");
        columns.put("big", "bigint");
        columns.put("d_dec", "decimal(30,10)");
        columns.put("t_text", "character varying(50)");
        columns.put("n_null", "character varying(10)");
        columns.put("flag", "boolean");
        columns.put("dt", "date");
        columns.put("ts", "timestamp");
        return columns;
    }
}
