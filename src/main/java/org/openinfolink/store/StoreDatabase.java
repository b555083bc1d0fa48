package org.openinfolink.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.openinfolink.job.StoreUnavailableException;
import org.openinfolink.sql.Jdbc;

/**
 * The job store's database: its DataSource, dialect and the JDBC discipline every store class
 * follows. A connection is borrowed and returned within one call; every statement gets a query
 * timeout (but on H2, see {@link #withTimeout}); any {@link SQLException} becomes a
 * {@link StoreUnavailableException} whose message names no URL or credential. Thread safe.
 *
 * <p>Work the database rolls back to break a deadlock (InnoDB picks a victim even among
 * single-statement transactions that touch a unique index) runs again, up to
 * {@value #ATTEMPTS} times in all, after a short random pause. So a work may run more than once:
 * its only effects outside the database must be ones it resets when it starts, and in auto-commit
 * mode each of its writes is one statement that is conditional or an upsert, so that a statement
 * committed by an earlier run is harmless when repeated.
 */
final class StoreDatabase {

    /** Query timeout of every statement the store issues. */
    static final int QUERY_TIMEOUT_SECONDS = 30;

    /** How many times in all a work runs when the database keeps rolling it back as a deadlock's victim. */
    static final int ATTEMPTS = 4;

    private static final Logger LOG = Logger.getLogger(StoreDatabase.class.getName());

    /** Work with a borrowed connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;
    private final StoreDialect dialect;

    private StoreDatabase(DataSource dataSource, StoreDialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    /** The store's database behind a DataSource; asks it once for its dialect. */
    static StoreDatabase of(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return new StoreDatabase(dataSource, StoreDialect.of(connection));
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    StoreDialect dialect() {
        return dialect;
    }

    /**
     * Replaces the placeholders: {@code {now}} with the dialect's clock expression, {@code
     * {shareLock}} with its {@link StoreDialect#shareLock() share lock}.
     */
    String sql(String template) {
        return template.replace("{now}", dialect.nowMillis()).replace("{shareLock}", dialect.shareLock());
    }

    /**
     * Runs work on a connection in auto-commit mode, so every statement is committed when it
     * returns. A connection lent with auto-commit off (a container pool's
     * {@code defaultAutoCommit="false"}, which rolls back on return) is switched on for the work and
     * back off before it is returned.
     */
    <T> T run(Work<T> work) {
        return attempts(connection -> {
            if (connection.getAutoCommit()) {
                return work.run(connection);
            }
            connection.setAutoCommit(true);
            try {
                return work.run(connection);
            } finally {
                connection.setAutoCommit(false);
            }
        });
    }

    /** Runs work in one transaction: committed when it returns, rolled back when it throws. */
    <T> T inTransaction(Work<T> work) {
        return attempts(connection -> {
            try {
                return Jdbc.inTransaction(connection, work::run);
            } catch (SQLException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Runs work on a borrowed connection, again on a fresh one after a deadlock, see the class doc. */
    private <T> T attempts(Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                return work.run(connection);
            } catch (SQLException e) {
                if (attempt == ATTEMPTS || !isDeadlockVictim(e)) {
                    throw unavailable(e);
                }
                pauseBeforeAttempt(attempt + 1);
            }
        }
    }

    /** A random pause of up to 5 ms times the attempt's number, so the two sides of a deadlock part ways. */
    private static void pauseBeforeAttempt(int attempt) {
        try {
            Thread.sleep(1 + ThreadLocalRandom.current().nextInt(5 * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("Interrupted while waiting to retry a job store transaction.", e);
        }
    }

    /** A prepared statement with the store's query timeout; the caller closes it. */
    PreparedStatement prepare(Connection connection, String sqlTemplate) throws SQLException {
        return withTimeout(connection.prepareStatement(sql(sqlTemplate)));
    }

    /**
     * Gives a statement the store's query timeout, except on H2. There the timeout belongs to the
     * session, and each change of it is a {@code SET QUERY_TIMEOUT} that makes every session of
     * the database compile its statements again; the pool's check of a connection, the scenarios
     * and the store would each change it, several times per job. An H2 store is a file database
     * in this JVM: no network to hang on, and H2's own lock timeout bounds a wait for a row.
     */
    <S extends Statement> S withTimeout(S statement) throws SQLException {
        if (dialect != StoreDialect.H2) {
            statement.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
        }
        return statement;
    }

    /** The store's clock now, in milliseconds since 1970 UTC. */
    long nowMillis(Connection connection) throws SQLException {
        try (PreparedStatement statement = prepare(connection, "SELECT {now}");
             ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static StoreUnavailableException unavailable(SQLException e) {
        LOG.warning("The job store failed: " + e.getMessage() + (e.getSQLState() == null ? ""
                : " (SQLState " + e.getSQLState() + ")"));
        return new StoreUnavailableException("The job store cannot be used now; retry later.", e);
    }

    /**
     * Whether the database rolled back the transaction to break a deadlock or a serialization
     * conflict: SQLState class 40 (40001 on H2 and MariaDB, 40P01 and 40001 on PostgreSQL).
     */
    static boolean isDeadlockVictim(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("40");
    }

    /**
     * Whether an exception says a unique key was violated: SQLState 23505 (H2, PostgreSQL), or
     * 23000 with MariaDB's error 1062 (23000 alone also covers other constraints there).
     */
    static boolean isDuplicateKey(SQLException e) {
        return "23505".equals(e.getSQLState()) || "23000".equals(e.getSQLState()) && e.getErrorCode() == 1062;
    }
}
