package org.openinfolink.store;

import java.sql.Connection;
import java.sql.SQLException;
import org.openinfolink.sql.SqlDialect;

/**
 * The databases a job store may live on, with the little SQL that differs between them: the
 * store's clock, the lock a run's late writes take on its job's row, and the folder of its Flyway
 * migrations. Everything else the store issues is the same on all three.
 */
enum StoreDialect {
    H2("h2", "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)"),
    POSTGRESQL("postgresql", "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)"),
    // UNIX_TIMESTAMP() counts seconds in UTC; the milliseconds come from NOW(6), which MariaDB takes
    // at the same instant (the statement's start). UNIX_TIMESTAMP(NOW(3)) would read the local time
    // back, which is ambiguous in the hour repeated when daylight saving ends.
    MARIADB("mariadb", "(CAST(UNIX_TIMESTAMP() AS SIGNED) * 1000 + MICROSECOND(NOW(6)) DIV 1000)");

    private final String folder;
    private final String nowMillis;

    StoreDialect(String folder, String nowMillis) {
        this.folder = folder;
        this.nowMillis = nowMillis;
    }

    /** The dialect of a live connection. */
    static StoreDialect of(Connection connection) throws SQLException {
        return switch (SqlDialect.of(connection)) {
            case H2 -> H2;
            case POSTGRESQL -> POSTGRESQL;
            case MARIADB -> MARIADB;
            case OTHER -> throw new SQLException("The job store needs H2, PostgreSQL or MariaDB, not "
                    + connection.getMetaData().getDatabaseProductName());
        };
    }

    /** Where this database's migrations are on the class path. */
    String migrations() {
        return "classpath:db/migration/" + folder;
    }

    /** An SQL expression for the store's clock: milliseconds since 1970 UTC. */
    String nowMillis() {
        return nowMillis;
    }

    /**
     * The locking clause that ends an {@code INSERT ... SELECT} from a job's row, so that the
     * insert waits for another node's change of that row in progress (a requeue) and then reads
     * the row as it changed: PostgreSQL's {@code FOR SHARE}, MariaDB's {@code LOCK IN SHARE MODE}
     * (which InnoDB also takes by itself at its default isolation). None on H2, whose store has one
     * node, so no other one changes the rows of its running jobs.
     */
    String shareLock() {
        return switch (this) {
            case H2 -> "";
            case POSTGRESQL -> " FOR SHARE";
            case MARIADB -> " LOCK IN SHARE MODE";
        };
    }

    /**
     * Whether an insert returns any columns of the inserted row as its generated keys (H2, and
     * PostgreSQL's {@code RETURNING}); MariaDB returns only the generated id.
     */
    boolean returnsInsertedRows() {
        return this != MARIADB;
    }

    /** Whether several nodes may share a store on this database (H2 files belong to one process). */
    boolean isShared() {
        return this != H2;
    }
}
