package org.openinfolink.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.openinfolink.engine.VariableStore;

/**
 * App variables as rows of {@code il_variable}: every job and every node reads the latest value
 * set. Thread safe.
 */
public final class JdbcVariableStore implements VariableStore {

    private static final String SELECT = "SELECT var_value FROM il_variable WHERE app_id = ? AND name = ?";
    private static final String UPDATE = "UPDATE il_variable SET var_value = ?, updated_at = {now}"
            + " WHERE app_id = ? AND name = ?";
    private static final String INSERT = "INSERT INTO il_variable (app_id, name, var_value, updated_at)"
            + " VALUES (?, ?, ?, {now})";

    private final StoreDatabase database;

    public JdbcVariableStore(DataSource dataSource) {
        this.database = StoreDatabase.of(dataSource);
    }

    @Override
    public Optional<String> get(String appId, String name) {
        return Optional.ofNullable(database.run(connection -> {
            try (PreparedStatement select = database.prepare(connection, SELECT)) {
                select.setString(1, appId);
                select.setString(2, name);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        }));
    }

    /** Updates the row, or inserts it; a concurrent first insert of the same name makes it update. */
    @Override
    public void set(String appId, String name, String value) {
        database.run(connection -> {
            for (int attempt = 0; ; attempt++) {
                try (PreparedStatement update = database.prepare(connection, UPDATE)) {
                    update.setString(1, value);
                    update.setString(2, appId);
                    update.setString(3, name);
                    if (update.executeUpdate() == 1) {
                        return null;
                    }
                }
                try (PreparedStatement insert = database.prepare(connection, INSERT)) {
                    insert.setString(1, appId);
                    insert.setString(2, name);
                    insert.setString(3, value);
                    insert.executeUpdate();
                    return null;
                } catch (SQLException e) {
                    if (!StoreDatabase.isDuplicateKey(e) || attempt > 0) {
                        throw e;
                    }
                }
            }
        });
    }
}
