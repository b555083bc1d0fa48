package org.openinfolink.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.openinfolink.audit.AuditAction;
import org.openinfolink.audit.AuditEntry;
import org.openinfolink.audit.AuditQuery;
import org.openinfolink.audit.AuditRecord;
import org.openinfolink.audit.AuditStore;

/**
 * The audit trail as rows of {@code il_audit}, shared by every node: stamped by the store's clock,
 * listed newest first by {@code seq}, deleted by age in batches. Thread safe; holds no connection
 * between calls.
 */
public final class JdbcAuditStore implements AuditStore {

    private static final String INSERT = "INSERT INTO il_audit (at_millis, action, who, remote_address, app_id,"
            + " job_id, outcome, detail) VALUES ({now} - ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final String SELECT = "SELECT seq, at_millis, action, who, remote_address, app_id, job_id,"
            + " outcome, detail FROM il_audit WHERE 1 = 1";
    private static final String WITH_ACTION = " AND action = ?";
    private static final String WITH_WHO = " AND who = ?";
    private static final String WITH_APP = " AND app_id = ?";
    private static final String WITH_JOB = " AND job_id = ?";
    private static final String WITH_OUTCOME = " AND outcome = ?";
    private static final String AT_OR_AFTER = " AND at_millis >= ?";
    private static final String BEFORE_TIME = " AND at_millis < ?";
    private static final String BEFORE_SEQ = " AND seq < ?";
    private static final String NEWEST_FIRST = " ORDER BY seq DESC LIMIT ?";

    /** The oldest records before a cutoff, by the time index: one purge batch. */
    private static final String OLDEST_BEFORE = "SELECT seq FROM il_audit WHERE at_millis < ?"
            + " ORDER BY at_millis LIMIT ?";
    private static final String DELETE_ONE = "DELETE FROM il_audit WHERE seq = ?";

    private static final Logger LOG = Logger.getLogger(JdbcAuditStore.class.getName());

    private final StoreDatabase database;

    /** A store on a database whose schema {@link StoreMigrations#migrate} brought up to date. */
    public JdbcAuditStore(DataSource dataSource) {
        this.database = StoreDatabase.of(dataSource);
    }

    @Override
    public void insert(List<AuditEntry> entries) {
        insert(entries, Collections.nCopies(entries.size(), 0L));
    }

    @Override
    public void insert(List<AuditEntry> entries, List<Long> agesMillis) {
        if (entries.size() != agesMillis.size()) {
            throw new IllegalArgumentException(entries.size() + " entries but " + agesMillis.size() + " ages");
        }
        if (entries.isEmpty()) {
            return;
        }
        database.inTransaction(connection -> {
            try (PreparedStatement insert = database.prepare(connection, INSERT)) {
                for (int i = 0; i < entries.size(); i++) {
                    AuditEntry entry = entries.get(i);
                    insert.setLong(1, Math.max(0, agesMillis.get(i)));
                    insert.setString(2, entry.action().actionName());
                    insert.setString(3, entry.who());
                    insert.setString(4, entry.remoteAddress());
                    setNullable(insert, 5, entry.appId());
                    setNullable(insert, 6, entry.jobId());
                    insert.setString(7, entry.outcome());
                    setNullable(insert, 8, entry.detail());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    @Override
    public List<AuditRecord> list(AuditQuery query) {
        StringBuilder sql = new StringBuilder(SELECT);
        List<Object> values = new ArrayList<>();
        if (query.action() != null) {
            sql.append(WITH_ACTION);
            values.add(query.action().actionName());
        }
        filter(sql, values, WITH_WHO, query.who());
        filter(sql, values, WITH_APP, query.appId());
        filter(sql, values, WITH_JOB, query.jobId());
        filter(sql, values, WITH_OUTCOME, query.outcome());
        if (query.from() != null) {
            sql.append(AT_OR_AFTER);
            values.add(query.from().toEpochMilli());
        }
        if (query.to() != null) {
            sql.append(BEFORE_TIME);
            values.add(query.to().toEpochMilli());
        }
        if (query.beforeSeq() != null) {
            sql.append(BEFORE_SEQ);
            values.add(query.beforeSeq());
        }
        sql.append(NEWEST_FIRST);
        values.add((long) query.limit());
        return database.run(connection -> {
            try (PreparedStatement select = database.prepare(connection, sql.toString())) {
                for (int i = 0; i < values.size(); i++) {
                    if (values.get(i) instanceof Long number) {
                        select.setLong(i + 1, number);
                    } else {
                        select.setString(i + 1, (String) values.get(i));
                    }
                }
                List<AuditRecord> records = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        record(rs).ifPresent(records::add);
                    }
                }
                return records;
            }
        });
    }

    /**
     * Deletes records older than {@code keepMillis} before the store's clock now: the oldest
     * {@code batchSize} at a time, each batch in its own transaction, until none is left.
     */
    @Override
    public int purge(long keepMillis, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        long cutoff = database.run(database::nowMillis) - keepMillis;
        int deleted = 0;
        while (true) {
            int[] batch = database.inTransaction(connection -> {
                List<Long> seqs = new ArrayList<>();
                try (PreparedStatement select = database.prepare(connection, OLDEST_BEFORE)) {
                    select.setLong(1, cutoff);
                    select.setInt(2, batchSize);
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            seqs.add(rs.getLong(1));
                        }
                    }
                }
                int removed = 0;
                if (!seqs.isEmpty()) {
                    try (PreparedStatement delete = database.prepare(connection, DELETE_ONE)) {
                        for (long seq : seqs) {
                            delete.setLong(1, seq);
                            delete.addBatch();
                        }
                        for (int count : delete.executeBatch()) {
                            // SUCCESS_NO_INFO (-2) is a driver's "done, count unknown": one row by key
                            removed += count == PreparedStatement.SUCCESS_NO_INFO ? 1 : count;
                        }
                    }
                }
                return new int[] {seqs.size(), removed};
            });
            deleted += batch[1];
            if (batch[0] < batchSize) {
                return deleted;
            }
        }
    }

    private static void filter(StringBuilder sql, List<Object> values, String clause, String value) {
        if (value != null) {
            sql.append(clause);
            values.add(value);
        }
    }

    private static void setNullable(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }

    /**
     * A row as a record; empty for a row whose action this version does not know (written by a newer
     * node during a rolling upgrade), which is left out of the listing rather than guessed.
     */
    private static Optional<AuditRecord> record(ResultSet rs) throws SQLException {
        String actionName = rs.getString(3);
        Optional<AuditAction> action = AuditAction.byName(actionName);
        if (action.isEmpty()) {
            LOG.fine(() -> "il_audit row of the unknown action '" + actionName + "' left out");
            return Optional.empty();
        }
        AuditEntry entry = new AuditEntry(action.get(), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getString(7), rs.getString(8), rs.getString(9));
        return Optional.of(new AuditRecord(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), entry));
    }
}
