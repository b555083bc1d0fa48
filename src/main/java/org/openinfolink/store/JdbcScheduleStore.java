package org.openinfolink.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.openinfolink.schedule.ScheduleStore;

/**
 * The schedules' progress as rows of {@code il_schedule}, shared by every node. A schedule moves on
 * by one conditional UPDATE on the handled time its caller read, so of two nodes racing for one
 * fire only one moves it. Thread safe; holds no connection between calls.
 */
public final class JdbcScheduleStore implements ScheduleStore {

    private static final String NOW = "SELECT {now}";
    private static final String STATES = "SELECT app_id, schedule_name, handled_until, last_fire_at, last_job_id"
            + " FROM il_schedule";
    private static final String INSERT = "INSERT INTO il_schedule (app_id, schedule_name, handled_until, created_at)"
            + " VALUES (?, ?, {now}, {now})";
    private static final String ADVANCE = "UPDATE il_schedule SET handled_until = ?,"
            + " last_fire_at = COALESCE(?, last_fire_at), last_job_id = COALESCE(?, last_job_id)"
            + " WHERE app_id = ? AND schedule_name = ? AND handled_until = ?";

    private final StoreDatabase database;

    /** A store on a database whose schema {@link StoreMigrations#migrate} brought up to date. */
    public JdbcScheduleStore(DataSource dataSource) {
        this.database = StoreDatabase.of(dataSource);
    }

    @Override
    public Snapshot snapshot() {
        return database.run(connection -> {
            Instant now = Instant.ofEpochMilli(database.nowMillis(connection));
            Map<Key, State> states = new HashMap<>();
            try (PreparedStatement select = database.prepare(connection, STATES);
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    long lastFire = rs.getLong(4);
                    boolean fired = !rs.wasNull();
                    states.put(new Key(rs.getString(1), rs.getString(2)), new State(Instant.ofEpochMilli(rs.getLong(3)),
                            fired ? Instant.ofEpochMilli(lastFire) : null, rs.getString(5)));
                }
            }
            return new Snapshot(now, Map.copyOf(states));
        });
    }

    @Override
    public void addIfAbsent(Key key) {
        database.run(connection -> {
            try (PreparedStatement insert = database.prepare(connection, INSERT)) {
                insert.setString(1, key.appId());
                insert.setString(2, key.name());
                insert.executeUpdate();
            } catch (SQLException e) {
                if (!StoreDatabase.isDuplicateKey(e)) {
                    throw e;
                }
            }
            return null;
        });
    }

    @Override
    public boolean advance(Key key, Instant expected, Instant handledUntil, Instant lastFireAt, String lastJobId) {
        return database.run(connection -> {
            try (PreparedStatement update = database.prepare(connection, ADVANCE)) {
                update.setLong(1, handledUntil.toEpochMilli());
                if (lastFireAt == null) {
                    update.setNull(2, Types.BIGINT);
                    update.setNull(3, Types.VARCHAR);
                } else {
                    update.setLong(2, lastFireAt.toEpochMilli());
                    update.setString(3, lastJobId);
                }
                update.setString(4, key.appId());
                update.setString(5, key.name());
                update.setLong(6, expected.toEpochMilli());
                return update.executeUpdate() == 1;
            }
        });
    }
}
