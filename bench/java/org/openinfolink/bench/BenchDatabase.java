package org.openinfolink.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.openinfolink.testdb.DatabaseServer;

/**
 * One database the benchmark runs on: how the server reaches it (a source of the benchmark app
 * and a scenario), and how the baseline reaches the same data from the benchmark's own JVM.
 *
 * <p>Both queries compute the same {@code rows}-row (by default {@value #DEFAULT_ROWS}), 6-column
 * result in the database, with no
 * table: {@code id} (integer), {@code name} (text), {@code amount} (decimal), {@code ratio}
 * (float), {@code flag} (boolean), {@code created} (datetime). Row {@code n} holds {@code n},
 * {@code "name-n"}, {@code n / 100}, {@code n / 3.0}, {@code n % 2 = 0} and 2026-01-01 00:00:00
 * plus {@code n} seconds; {@link ExpectedRecords} checks that.
 *
 * @param label        the name printed in the results table
 * @param sourceName   the source of the benchmark app that runs the scenario
 * @param scenarioName the scenario that returns the result
 * @param query        the SQL, run by the server's scenario and by the baseline alike
 * @param rows         the rows of the result
 * @param baseline     opens the baseline's connection; the caller closes it
 */
record BenchDatabase(String label, String sourceName, String scenarioName, String query, int rows,
                     ConnectionFactory baseline) {

    /** Rows of the result unless {@code bench.rows} says otherwise. */
    static final int DEFAULT_ROWS = 1_000_000;

    /** Opens a new connection outside any pool. */
    @FunctionalInterface
    interface ConnectionFactory {
        Connection open() throws SQLException;
    }

    /**
     * The server's container default source ({@code jdbc/infolink} of {@code tomcat-conf/infolink.xml},
     * an H2 file database). The baseline runs the query on an in-memory H2 database in the
     * benchmark's JVM with the same URL options ({@code DATABASE_TO_LOWER}, {@code LAZY_QUERY_EXECUTION}).
     * H2 folds unquoted names to lower case, so the range's column is written {@code "X"}. The casts
     * give the same types as on PostgreSQL: H2 would make {@code "X" / 3.0E0} a {@code DECFLOAT}
     * (written as a 20-digit decimal) and {@code DECIMAL(12,2) / 100} a {@code NUMERIC(32,22)}.
     */
    static BenchDatabase h2(int rows) {
        String query = "SELECT \"X\" AS id, CONCAT('name-', \"X\") AS name,"
                + " CAST(\"X\" / 100.0 AS DECIMAL(12,2)) AS amount, CAST(\"X\" AS DOUBLE PRECISION) / 3 AS ratio,"
                + " MOD(\"X\", 2) = 0 AS flag,"
                + " DATEADD(SECOND, \"X\", TIMESTAMP '2026-01-01 00:00:00') AS created"
                + " FROM SYSTEM_RANGE(1, " + rows + ")";
        String url = "jdbc:h2:mem:bench_baseline;DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE;LAZY_QUERY_EXECUTION=TRUE";
        return new BenchDatabase("H2", "default", "LargeH2", query, rows,
                () -> DriverManager.getConnection(url, "sa", ""));
    }

    /**
     * A PostgreSQL database that the server reaches through a pool of its own (the app's source
     * {@code pg}) and the baseline through a plain connection.
     */
    static BenchDatabase postgresql(DatabaseServer database, int rows) {
        String query = "SELECT i AS id, 'name-' || i AS name, (i / 100.0)::numeric(12,2) AS amount,"
                + " i / 3.0::float8 AS ratio, i % 2 = 0 AS flag,"
                + " TIMESTAMP '2026-01-01' + i * INTERVAL '1 second' AS created"
                + " FROM generate_series(1, " + rows + ") AS i";
        return new BenchDatabase("PostgreSQL", "pg", "LargePostgres", query, rows, database::connect);
    }
}
