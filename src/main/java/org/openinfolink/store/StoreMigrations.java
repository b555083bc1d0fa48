package org.openinfolink.store;

import java.sql.Connection;
import java.sql.SQLException;
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

    private StoreMigrations() {
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
