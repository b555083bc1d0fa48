package org.openinfolink.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Creates and migrates the job store's schema with Flyway, from the versioned migrations of its
 * database under {@code db/migration/<h2|postgresql|mariadb>/}. The history table is
 * {@code il_schema_history}. A schema that already holds other tables (the {@code default}
 * source's own) is baselined at version 0, so every migration still runs.
 */
public final class StoreMigrations {

    /** Flyway's history table of the job store. */
    public static final String HISTORY_TABLE = "il_schema_history";

    private static final Logger LOG = Logger.getLogger(StoreMigrations.class.getName());
    private static final String WRITE_DELAY_SETTING =
            "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'";

    private StoreMigrations() {
    }

    /**
     * An H2 file database without {@code WRITE_DELAY=0} keeps its last commits in memory for up to
     * half a second: a crash would lose jobs the server had already accepted.
     */
    private static void warnIfCommitsMayBeLost(StoreDialect dialect, Connection connection, String description)
            throws SQLException {
        String url = connection.getMetaData().getURL();
        if (dialect != StoreDialect.H2 || url == null || url.startsWith("jdbc:h2:mem:")) {
            return;
        }
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(WRITE_DELAY_SETTING)) {
            if (rs.next() && !"0".equals(rs.getString(1))) {
                LOG.warning("The job store (" + description + ") is an H2 database with a write delay of "
                        + rs.getString(1) + " ms: jobs accepted just before a crash may be lost. Add"
                        + " ;WRITE_DELAY=0 to its URL.");
            }
        }
    }

    /**
     * Brings the schema up to date.
     *
     * @param description names the store in messages (never with a password)
     * @throws IllegalStateException naming the store when it cannot be reached or migrated
     */
    public static void migrate(DataSource dataSource, String description) {
        StoreDialect dialect;
        try (Connection connection = dataSource.getConnection()) {
            dialect = StoreDialect.of(connection);
            warnIfCommitsMayBeLost(dialect, connection, description);
        } catch (SQLException e) {
            throw new IllegalStateException("The job store (" + description + ") cannot be reached: "
                    + e.getMessage(), e);
        }
        try {
            MigrateResult result = Flyway.configure(StoreMigrations.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations(dialect.migrations())
                    .failOnMissingLocations(true)
                    .table(HISTORY_TABLE)
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load()
                    .migrate();
            LOG.info("Job store (" + description + ", " + dialect + "): schema version "
                    + (result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion)
                    + ", " + result.migrationsExecuted + " migration(s) applied");
        } catch (FlywayException e) {
            throw new IllegalStateException("The job store (" + description + ") cannot be migrated: "
                    + e.getMessage(), e);
        }
    }
}
