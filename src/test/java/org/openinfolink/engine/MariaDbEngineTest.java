package org.openinfolink.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.openinfolink.testdb.TestDatabase;

/** The engine suite on MariaDB, where a schema is a database and DDL commits at once. */
class MariaDbEngineTest extends EngineSuite {

    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Override
    String series(long count) {
        return "SELECT seq AS n FROM seq_1_to_" + count;
    }

    @Override
    String longQuery(String tag) {
        return "SELECT SLEEP(60) AS " + tag;
    }

    @Override
    String longStatement(String tag) {
        // DO discards the value: a killed SLEEP then ends without an error.
        return "DO SLEEP(60), '" + tag + "'";
    }

    @Override
    String runningStatementsSql() {
        return "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE ? AND ID <> CONNECTION_ID()";
    }

    @Override
    String timestampType() {
        return "DATETIME";
    }

    @Override
    String createSchema(Connection connection) throws SQLException {
        String name = "side_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return name;
    }

    @Override
    String quirkyStatement() {
        return "# a MariaDB hash comment; with a semicolon\n"
                + "INSERT INTO notes (id, note) VALUES (20, 'it\\'s; escaped')";
    }

    @Override
    String queryTimeoutMessage() {
        return "max_statement_time exceeded";
    }

    @Override
    Map<String, String> createdTypedColumns() {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("id", "int");
        columns.put("i_int", "int");
        columns.put("big", "bigint");
        columns.put("d_dec", "decimal(30,10)");
        columns.put("t_text", "varchar(50)");
        columns.put("n_null", "varchar(10)");
        columns.put("flag", "tinyint");
        columns.put("dt", "date");
        columns.put("ts", "datetime(6)");
        return columns;
    }

    @Override
    Map<String, String> typedTypeStrings() {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("id", "int");
        columns.put("i_int", "int");
        columns.put("big", "bigint");
        columns.put("d_dec", "decimal(30,10)");
        columns.put("t_text", "varchar(50)");
        columns.put("n_null", "varchar(10)");
        columns.put("flag", "tinyint(1)");
        columns.put("dt", "date");
        columns.put("ts", "datetime");
        return columns;
    }
}
