package org.openinfolink.sql;

import java.sql.Connection;
import java.sql.SQLException;

/** JDBC transaction discipline shared by everything that writes or reads with a cursor. */
public final class Jdbc {

    private Jdbc() {
    }

    /** Work done with a connection inside a transaction. */
    @FunctionalInterface
    public interface TransactionWork<T> {
        T run(Connection connection) throws Exception;
    }

    /**
     * Runs {@code work} in one transaction: commits once when it returns, rolls back when it throws
     * anything, and restores the connection's auto-commit mode either way, before the caller
     * returns the connection to its pool. The work's exception is rethrown as it was.
     */
    public static <T> T inTransaction(Connection connection, TransactionWork<T> work) throws Exception {
        boolean autoCommit = connection.getAutoCommit();
        if (autoCommit) {
            connection.setAutoCommit(false);
        }
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (Throwable failure) {
            try {
                connection.rollback();
            } catch (SQLException rollbackFailure) {
                failure.addSuppressed(rollbackFailure);
            }
            throw failure;
        } finally {
            if (autoCommit) {
                try {
                    connection.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // the pool's rollback-on-return and validation deal with a broken connection
                }
            }
        }
    }
}
