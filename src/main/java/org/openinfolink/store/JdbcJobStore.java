package org.openinfolink.store;

import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;
import javax.sql.DataSource;
import org.openinfolink.engine.ResultOutput;
import org.openinfolink.engine.StepTrace;
import org.openinfolink.job.JobQuery;
import org.openinfolink.job.JobRecord;
import org.openinfolink.job.JobRequest;
import org.openinfolink.job.JobState;
import org.openinfolink.job.JobStore;
import org.openinfolink.job.ResultInfo;
import org.openinfolink.job.StopOutcome;
import org.openinfolink.scenario.Concurrency;
import org.openinfolink.sql.ColumnInfo;

/**
 * The job store on H2, PostgreSQL or MariaDB, in the {@code il_} tables that
 * {@link StoreMigrations} creates. Every state change is one conditional UPDATE whose row count
 * says who won; claims lock rows with {@code FOR UPDATE SKIP LOCKED}; times come from the
 * database's clock. Thread safe; holds no connection between calls.
 */
public final class JdbcJobStore implements JobStore {

    private static final String FINISHED = "('completed', 'completedWithError', 'stopped')";
    private static final String UNFINISHED_RUN = "('running', 'stopping')";

    private static final String JOB_COLUMNS = "seq, app_id, job_id, client_name, scenario, op_name, operation,"
            + " timeout_seconds, rerun_if_interrupted, state, attempt, node_id, submitted_at, started_at,"
            + " finished_at, message, progress_step, progress_steps, progress_title, concurrency_max, concurrency_reject";
    private static final String INSERT_QUEUED = "INSERT INTO il_job (app_id, job_id, client_name, scenario,"
            + " op_name, operation, timeout_seconds, rerun_if_interrupted, concurrency_max, concurrency_reject,"
            + " slot_no, state, attempt, node_id, submitted_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, NULL, {now})";
    private static final String INSERT_RUNNING = "INSERT INTO il_job (app_id, job_id, client_name, scenario,"
            + " op_name, operation, timeout_seconds, rerun_if_interrupted, concurrency_max, concurrency_reject,"
            + " slot_no, state, attempt, node_id, submitted_at, started_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', 1, ?, {now}, {now})";
    /** The columns an insert returns where the database can (the job as inserted), or the id alone. */
    private static final String[] RETURNED_COLUMNS = JOB_COLUMNS.split(",\\s*");
    private static final String[] SEQ = {"seq"};
    private static final String FIND = "SELECT " + JOB_COLUMNS + " FROM il_job WHERE app_id = ? AND job_id = ?";
    private static final String FIND_BY_SEQ = "SELECT " + JOB_COLUMNS + " FROM il_job WHERE seq = ?";
    /** Finished jobs by minute ago, state and duration class; {@code {classes}} is the CASE of the classes. */
    private static final String FINISHED_COUNTS = "SELECT state, minutes_ago, duration_class, COUNT(*) FROM ("
            + "SELECT state, FLOOR((? - finished_at) / 60000) AS minutes_ago,"
            + " CASE WHEN started_at IS NULL THEN -1{classes} END AS duration_class"
            + " FROM il_job WHERE finished_at >= ?) f GROUP BY state, minutes_ago, duration_class";
    private static final String COUNT_QUEUED = "SELECT COUNT(*) FROM il_job WHERE state = 'queued'";
    private static final String COUNT_QUEUED_OF = "SELECT COUNT(*), COALESCE(SUM(CASE WHEN client_name = ? THEN 1"
            + " ELSE 0 END), 0) FROM il_job WHERE state = 'queued'";
    /**
     * The oldest queued jobs that can run now: those of scenarios without a limit, those holding a
     * slot, and those whose scenario has a slot free (as committed; the unique index decides).
     */
    private static final String CLAIM_CANDIDATES = "SELECT seq, concurrency_max, slot_no FROM il_job j"
            + " WHERE state = 'queued' AND (concurrency_max IS NULL OR slot_no IS NOT NULL OR concurrency_max >"
            + " (SELECT COUNT(*) FROM il_job r WHERE r.app_id = j.app_id AND r.scenario = j.scenario"
            + " AND r.slot_no IS NOT NULL)) ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED";
    private static final String CLAIM = "UPDATE il_job SET state = 'running', node_id = ?, attempt = attempt + 1,"
            + " started_at = {now} WHERE seq = ? AND state = 'queued'";
    private static final String CLAIM_IN_SLOT = "UPDATE il_job SET state = 'running', node_id = ?,"
            + " attempt = attempt + 1, started_at = {now}, slot_no = ? WHERE seq = ? AND state = 'queued'"
            + " AND slot_no IS NULL";
    private static final String TAKEN_SLOTS = "SELECT slot_no FROM il_job WHERE app_id = ? AND scenario = ?"
            + " AND slot_no IS NOT NULL";
    private static final String FINISH = "UPDATE il_job SET state = ?, message = ?, finished_at = {now},"
            + " progress_step = NULL, progress_steps = NULL, progress_title = NULL, slot_no = NULL"
            + " WHERE seq = ? AND node_id = ? AND state IN " + UNFINISHED_RUN;
    private static final String REQUEUE = "UPDATE il_job SET state = 'queued', node_id = NULL, started_at = NULL,"
            + " progress_step = NULL, progress_steps = NULL, progress_title = NULL, slot_no = NULL"
            + " WHERE seq = ? AND node_id = ? AND state = 'running'";
    private static final String STOP_QUEUED = "UPDATE il_job SET state = 'stopped', message = 'Stopped by request',"
            + " finished_at = {now}, slot_no = NULL WHERE seq = ? AND state = 'queued'";
    private static final String STOP_RUNNING = "UPDATE il_job SET state = 'stopping' WHERE seq = ? AND state = 'running'";
    private static final String STOPS_REQUESTED = "SELECT seq FROM il_job WHERE node_id = ? AND state = 'stopping'";
    private static final String PROGRESS = "UPDATE il_job SET progress_step = ?, progress_steps = ?,"
            + " progress_title = ? WHERE seq = ? AND state IN " + UNFINISHED_RUN;
    /**
     * Selects the job row while it is still one run of a node: seq, node and attempt, not ended.
     * It ends the statement: an insert of the run's output, which takes a share lock on the row,
     * so it waits for another node's requeue in progress and is then refused, and a requeue waits
     * for the insert's transaction and then clears what it kept.
     */
    static final String STILL_THE_RUN = " FROM il_job WHERE seq = ? AND node_id = ? AND attempt = ? AND state IN "
            + UNFINISHED_RUN + "{shareLock}";
    private static final String INSERT_STEP = "INSERT INTO il_job_step (job_seq, step_no, trace) VALUES (?, ?, ?)";
    private static final String ADD_STEP = "INSERT INTO il_job_step (job_seq, step_no, trace) SELECT seq, ?, ?"
            + STILL_THE_RUN;
    private static final String STEPS = "SELECT trace FROM il_job_step WHERE job_seq = ? ORDER BY step_no";
    private static final String RESULTS = "SELECT result_no, name, schema_json, row_count FROM il_job_result"
            + " WHERE job_seq = ? ORDER BY result_no";
    private static final String CHUNK_COUNT = "SELECT chunk_count FROM il_job_result WHERE job_seq = ?"
            + " AND result_no = ?";
    private static final String CLEAR_STEPS = "DELETE FROM il_job_step WHERE job_seq = ?";
    private static final String CLEAR_RESULTS = "DELETE FROM il_job_result WHERE job_seq = ?";
    private static final String CLEAR_CHUNKS = "DELETE FROM il_result_chunk WHERE job_seq = ?";

    private static final String REGISTER_NODE = "UPDATE il_node SET started_at = {now}, heartbeat_at = {now}"
            + " WHERE node_id = ?";
    private static final String INSERT_NODE = "INSERT INTO il_node (node_id, started_at, heartbeat_at)"
            + " VALUES (?, {now}, {now})";
    private static final String HEARTBEAT = "UPDATE il_node SET heartbeat_at = {now} WHERE node_id = ?";
    private static final String NODES = "SELECT n.node_id, {now} - n.heartbeat_at, (SELECT COUNT(*) FROM il_job j"
            + " WHERE j.node_id = n.node_id AND j.state IN " + UNFINISHED_RUN + ") FROM il_node n ORDER BY n.node_id";
    private static final String SILENT_NODES = "SELECT node_id FROM il_node WHERE heartbeat_at < {now} - ?";
    private static final String VANISHED_NODES = "SELECT DISTINCT node_id FROM il_job WHERE state IN "
            + UNFINISHED_RUN + " AND node_id IS NOT NULL AND node_id NOT IN (SELECT node_id FROM il_node)";
    private static final String DELETE_NODE = "DELETE FROM il_node WHERE node_id = ?";
    private static final String REQUEUE_NODE_JOBS = "UPDATE il_job SET state = 'queued', node_id = NULL,"
            + " started_at = NULL, progress_step = NULL, progress_steps = NULL, progress_title = NULL, slot_no = NULL"
            + " WHERE node_id = ? AND state = 'running' AND rerun_if_interrupted = TRUE AND attempt < ?";
    private static final String STOP_NODE_JOBS = "UPDATE il_job SET state = 'stopped', message = ?,"
            + " finished_at = {now}, progress_step = NULL, progress_steps = NULL, progress_title = NULL,"
            + " slot_no = NULL"
            + " WHERE node_id = ? AND state IN " + UNFINISHED_RUN;

    private static final String DELETE_CHUNK = "DELETE FROM il_result_chunk WHERE job_seq = ? AND result_no = ?"
            + " AND chunk_no = ?";
    /** Result chunks deleted per transaction by retention: 16 chunks are 4 MB of 256 KB chunks. */
    private static final int CHUNKS_PER_DELETE = 16;

    private static final String OLD_FINISHED = "SELECT seq FROM il_job WHERE state IN " + FINISHED
            + " AND finished_at < ? ORDER BY seq LIMIT ?";
    private static final String APPS_OVER_KEEP = "SELECT app_id FROM il_job WHERE state IN " + FINISHED
            + " GROUP BY app_id HAVING COUNT(*) > ?";
    private static final String NEWEST_BEYOND_KEEP = "SELECT seq FROM il_job WHERE app_id = ? AND state IN "
            + FINISHED + " ORDER BY seq DESC LIMIT 1 OFFSET ?";
    private static final String APP_FINISHED_UP_TO = "SELECT seq FROM il_job WHERE app_id = ? AND state IN "
            + FINISHED + " AND seq <= ? AND finished_at < ? ORDER BY seq LIMIT ?";

    /** How often an insert that needs a slot reads the free ones again after losing every race. */
    private static final int SLOT_ROUNDS = 3;

    private final StoreDatabase database;
    private final ResultChunks chunks;

    /**
     * A store on a database whose schema {@link StoreMigrations#migrate} brought up to date.
     *
     * @param chunkBytes the size of the chunks result records are kept in
     */
    public JdbcJobStore(DataSource dataSource, int chunkBytes) {
        this(dataSource, chunkBytes, rows -> { });
    }

    /**
     * A store that also tells how many rows each result set kept had, for the metrics.
     *
     * @param rowsKept told the row count of every result set once it is kept; must be quick
     */
    public JdbcJobStore(DataSource dataSource, int chunkBytes, LongConsumer rowsKept) {
        this.database = StoreDatabase.of(dataSource);
        this.chunks = new ResultChunks(database, chunkBytes, rowsKept);
    }

    @Override
    public void close() {
        chunks.close();
    }

    /** PostgreSQL and MariaDB may be shared; an H2 file belongs to one process. */
    @Override
    public boolean isShared() {
        return database.dialect().isShared();
    }

    @Override
    public Insertion insert(JobRequest request, String runOn, boolean takeSlot) {
        if (!takeSlot) {
            return database.run(connection -> {
                Insertion insertion = insertRow(connection, request, runOn, null);
                return insertion != null ? insertion : existing(connection, request);
            });
        }
        Concurrency limit = Objects.requireNonNull(request.concurrency(), "a slot needs a concurrency limit");
        return database.run(connection -> {
            for (int round = 0; round < SLOT_ROUNDS; round++) {
                List<Integer> free = freeSlots(connection, request.appId(), request.scenarioName(), limit.max());
                if (free.isEmpty()) {
                    break;
                }
                for (int slot : free) {
                    Insertion insertion = insertRow(connection, request, runOn, slot);
                    if (insertion != null) {
                        return insertion;
                    }
                    JobRecord existing = find(connection, request.appId(), request.jobId());
                    if (existing != null) {
                        return new Insertion(existing, false);
                    }
                    // another job took the slot since it was read free: try the next
                }
            }
            JobRecord existing = find(connection, request.appId(), request.jobId());
            return existing != null ? new Insertion(existing, false) : Insertion.NO_SLOT;
        });
    }

    /** Inserts a job (holding {@code slot}, unless null); null when a unique key refused it. */
    private Insertion insertRow(Connection connection, JobRequest request, String runOn, Integer slot)
            throws SQLException {
        boolean whole = database.dialect().returnsInsertedRows();
        try (PreparedStatement insert = connection.prepareStatement(
                database.sql(runOn == null ? INSERT_QUEUED : INSERT_RUNNING), whole ? RETURNED_COLUMNS : SEQ)) {
            database.withTimeout(insert);
            insert.setString(1, request.appId());
            insert.setString(2, request.jobId());
            insert.setString(3, request.clientName());
            insert.setString(4, request.scenarioName());
            insert.setString(5, request.opName());
            insert.setString(6, request.operation());
            insert.setInt(7, request.timeoutSeconds());
            insert.setBoolean(8, request.rerunIfInterrupted());
            Concurrency limit = request.concurrency();
            insert.setObject(9, limit == null ? null : limit.max(), Types.INTEGER);
            insert.setBoolean(10, limit != null && limit.rejectsWhenBusy());
            insert.setObject(11, slot, Types.INTEGER);
            if (runOn != null) {
                insert.setString(12, runOn);
            }
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return new Insertion(whole ? record(keys) : findBySeq(connection, keys.getLong(1)), true);
            }
        } catch (SQLException e) {
            if (!StoreDatabase.isDuplicateKey(e)) {
                throw e;
            }
            return null;
        }
    }

    /** The job that holds a request's id, which an insert was just refused for. */
    private Insertion existing(Connection connection, JobRequest request) throws SQLException {
        JobRecord existing = find(connection, request.appId(), request.jobId());
        if (existing == null) {
            throw new SQLException("job " + request.jobId() + " of app " + request.appId()
                    + " was refused as a duplicate but cannot be found", "40001");
        }
        return new Insertion(existing, false);
    }

    /** The slot numbers of a scenario that no job holds, as committed now. */
    private List<Integer> freeSlots(Connection connection, String appId, String scenario, int max)
            throws SQLException {
        Set<Integer> taken = new HashSet<>();
        try (PreparedStatement select = database.prepare(connection, TAKEN_SLOTS)) {
            select.setString(1, appId);
            select.setString(2, scenario);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    taken.add(rs.getInt(1));
                }
            }
        }
        List<Integer> free = new ArrayList<>();
        for (int slot = 0; slot < max; slot++) {
            if (!taken.contains(slot)) {
                free.add(slot);
            }
        }
        return free;
    }

    @Override
    public Optional<JobRecord> find(String appId, String jobId) {
        return Optional.ofNullable(database.run(connection -> find(connection, appId, jobId)));
    }

    private JobRecord find(Connection connection, String appId, String jobId) throws SQLException {
        try (PreparedStatement select = database.prepare(connection, FIND)) {
            select.setString(1, appId);
            select.setString(2, jobId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? record(rs) : null;
            }
        }
    }

    private JobRecord findBySeq(Connection connection, long seq) throws SQLException {
        try (PreparedStatement select = database.prepare(connection, FIND_BY_SEQ)) {
            select.setLong(1, seq);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("job " + seq + " vanished", "40001");
                }
                return record(rs);
            }
        }
    }

    @Override
    public int countQueued() {
        return database.run(connection -> {
            try (PreparedStatement count = database.prepare(connection, COUNT_QUEUED);
                 ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    @Override
    public QueueCounts countQueued(String clientName) {
        return database.run(connection -> {
            try (PreparedStatement count = database.prepare(connection, COUNT_QUEUED_OF)) {
                count.setString(1, clientName);
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    return new QueueCounts(rs.getInt(1), rs.getInt(2));
                }
            }
        });
    }

    @Override
    public List<JobRecord> list(JobQuery query) {
        StringBuilder sql = new StringBuilder("SELECT ").append(JOB_COLUMNS).append(" FROM il_job WHERE 1 = 1");
        List<Object> values = new ArrayList<>();
        if (query.appIds() != null) {
            sql.append(" AND app_id IN ").append(placeholders(query.appIds().size()));
            values.addAll(query.appIds());
        }
        if (!query.states().isEmpty()) {
            sql.append(" AND state IN ").append(placeholders(query.states().size()));
            query.states().forEach(state -> values.add(state.stateName()));
        }
        if (query.scenario() != null) {
            sql.append(" AND scenario = ?");
            values.add(query.scenario());
        }
        if (query.submittedFrom() != null) {
            sql.append(" AND submitted_at >= ?");
            values.add(query.submittedFrom().toEpochMilli());
        }
        if (query.submittedTo() != null) {
            sql.append(" AND submitted_at < ?");
            values.add(query.submittedTo().toEpochMilli());
        }
        if (query.beforeSeq() != null) {
            sql.append(" AND seq < ?");
            values.add(query.beforeSeq());
        }
        sql.append(" ORDER BY seq DESC LIMIT ?");
        values.add(query.limit());
        if (query.appIds() != null && query.appIds().isEmpty()) {
            return List.of();
        }
        return database.run(connection -> {
            try (PreparedStatement select = database.prepare(connection, sql.toString())) {
                bind(select, values);
                List<JobRecord> jobs = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        jobs.add(record(rs));
                    }
                }
                return jobs;
            }
        });
    }

    @Override
    public FinishedCounts finishedCounts(long windowMillis, long[] durationBoundsMillis) {
        StringBuilder classes = new StringBuilder();
        for (int i = 0; i < durationBoundsMillis.length; i++) {
            classes.append(" WHEN finished_at - started_at < ? THEN ").append(i);
        }
        classes.append(" ELSE ").append(durationBoundsMillis.length);
        String sql = FINISHED_COUNTS.replace("{classes}", classes);
        return database.run(connection -> {
            long now = database.nowMillis(connection);
            try (PreparedStatement select = database.prepare(connection, sql)) {
                int index = 1;
                select.setLong(index++, now);
                for (long bound : durationBoundsMillis) {
                    select.setLong(index++, bound);
                }
                select.setLong(index, now - windowMillis);
                List<FinishedCounts.Count> counts = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        counts.add(new FinishedCounts.Count(rs.getInt(2), JobState.ofStateName(rs.getString(1)),
                                rs.getInt(3), rs.getInt(4)));
                    }
                }
                return new FinishedCounts(now, counts);
            }
        });
    }

    @Override
    public List<JobRecord> claim(String nodeId, int max) {
        if (max <= 0) {
            return List.of();
        }
        List<Long> needSlot = new ArrayList<>();
        List<JobRecord> claimed = new ArrayList<>(database.inTransaction(connection -> {
            needSlot.clear();
            List<Long> candidates = new ArrayList<>();
            try (PreparedStatement select = database.prepare(connection, CLAIM_CANDIDATES)) {
                select.setInt(1, max);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        long seq = rs.getLong(1);
                        rs.getInt(2);
                        boolean limited = !rs.wasNull();
                        rs.getInt(3);
                        boolean holdsSlot = !rs.wasNull();
                        (limited && !holdsSlot ? needSlot : candidates).add(seq);
                    }
                }
            }
            List<JobRecord> plain = new ArrayList<>();
            try (PreparedStatement update = database.prepare(connection, CLAIM)) {
                for (long seq : candidates) {
                    update.setString(1, nodeId);
                    update.setLong(2, seq);
                    if (update.executeUpdate() == 1) {
                        plain.add(findBySeq(connection, seq));
                    }
                }
            }
            return plain;
        }));
        // each in a statement of its own: the unique slot index makes racing claimers wait on each other
        // only for one statement, never for another's transaction
        for (long seq : needSlot) {
            JobRecord job = database.run(connection -> claimInSlot(connection, nodeId, seq));
            if (job != null) {
                claimed.add(job);
            }
        }
        return claimed;
    }

    /** Claims a queued job with a free slot of its scenario; null when it has none or is gone. */
    private JobRecord claimInSlot(Connection connection, String nodeId, long seq) throws SQLException {
        JobRecord job = findBySeq(connection, seq);
        if (job.state() != JobState.QUEUED || job.request().concurrency() == null) {
            return null;
        }
        for (int slot : freeSlots(connection, job.appId(), job.request().scenarioName(),
                job.request().concurrency().max())) {
            try (PreparedStatement update = database.prepare(connection, CLAIM_IN_SLOT)) {
                update.setString(1, nodeId);
                update.setInt(2, slot);
                update.setLong(3, seq);
                return update.executeUpdate() == 1 ? findBySeq(connection, seq) : null;
            } catch (SQLException e) {
                if (!StoreDatabase.isDuplicateKey(e)) {
                    throw e;
                }
                // another job took the slot since it was read free: try the next
            }
        }
        return null;
    }

    @Override
    public Optional<JobRecord> finish(long seq, String nodeId, JobState state, String message, Written written) {
        if (written.isEmpty()) {
            return Optional.ofNullable(database.run(connection ->
                    finish(connection, seq, nodeId, state, message) ? findBySeq(connection, seq) : null));
        }
        return Optional.ofNullable(database.inTransaction(connection -> {
            if (!finish(connection, seq, nodeId, state, message)) {
                connection.rollback();
                return null;
            }
            try (PreparedStatement insert = database.prepare(connection, INSERT_STEP)) {
                for (Written.Step step : written.steps()) {
                    insert.setLong(1, seq);
                    insert.setInt(2, step.number());
                    insert.setString(3, TraceCodec.write(step.trace()));
                    insert.addBatch();
                }
                if (!written.steps().isEmpty()) {
                    insert.executeBatch();
                }
            }
            for (Written.Result result : written.results()) {
                chunks.writeWhole(connection, seq, result);
            }
            return findBySeq(connection, seq);
        }));
    }

    private boolean finish(Connection connection, long seq, String nodeId, JobState state, String message)
            throws SQLException {
        try (PreparedStatement update = database.prepare(connection, FINISH)) {
            update.setString(1, state.stateName());
            update.setString(2, message);
            update.setLong(3, seq);
            update.setString(4, nodeId);
            return update.executeUpdate() == 1;
        }
    }

    @Override
    public boolean requeue(long seq, String nodeId) {
        return database.run(connection -> {
            try (PreparedStatement update = database.prepare(connection, REQUEUE)) {
                update.setLong(1, seq);
                update.setString(2, nodeId);
                return update.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Optional<StopResult> requestStop(String appId, String jobId) {
        return Optional.ofNullable(database.run(connection -> {
            while (true) {
                JobRecord job = find(connection, appId, jobId);
                if (job == null) {
                    return null;
                }
                if (job.state().isFinished()) {
                    return new StopResult(StopOutcome.ALREADY_COMPLETED, job);
                }
                if (job.state() == JobState.STOPPING) {
                    return new StopResult(StopOutcome.ALREADY_BEING_STOPPED, job);
                }
                String transition = job.state() == JobState.QUEUED ? STOP_QUEUED : STOP_RUNNING;
                try (PreparedStatement update = database.prepare(connection, transition)) {
                    update.setLong(1, job.seq());
                    if (update.executeUpdate() == 1) {
                        return new StopResult(StopOutcome.STOP_STARTED, findBySeq(connection, job.seq()));
                    }
                }
                // the job moved on (claimed, finished) between the read and the update: look again
            }
        }));
    }

    @Override
    public List<Long> stopsRequested(String nodeId) {
        return database.run(connection -> {
            try (PreparedStatement select = database.prepare(connection, STOPS_REQUESTED)) {
                select.setString(1, nodeId);
                return longs(select);
            }
        });
    }

    @Override
    public void progress(long seq, JobRecord.Progress progress) {
        database.run(connection -> {
            try (PreparedStatement update = database.prepare(connection, PROGRESS)) {
                update.setInt(1, progress.step());
                update.setInt(2, progress.steps());
                update.setString(3, progress.title());
                update.setLong(4, seq);
                return update.executeUpdate();
            }
        });
    }

    @Override
    public boolean addStep(JobRecord run, int number, StepTrace step) {
        return database.run(connection -> {
            try (PreparedStatement insert = database.prepare(connection, ADD_STEP)) {
                insert.setInt(1, number);
                insert.setString(2, TraceCodec.write(step));
                setRun(insert, 3, run);
                return insert.executeUpdate() == 1;
            }
        });
    }

    /** Sets the parameters of {@link #STILL_THE_RUN}, from {@code index} on. */
    static void setRun(PreparedStatement statement, int index, JobRecord run) throws SQLException {
        statement.setLong(index, run.seq());
        statement.setString(index + 1, run.nodeId());
        statement.setInt(index + 2, run.attempt());
    }

    @Override
    public List<StepTrace> steps(long seq) {
        return database.run(connection -> {
            try (PreparedStatement select = database.prepare(connection, STEPS)) {
                select.setLong(1, seq);
                List<StepTrace> steps = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        steps.add(TraceCodec.read(rs.getString(1)));
                    }
                }
                return steps;
            }
        });
    }

    @Override
    public ResultOutput newResult(JobRecord run, int number, String name, List<ColumnInfo> columns) {
        return chunks.newResult(run, number, name, columns);
    }

    @Override
    public List<ResultInfo> results(long seq) {
        return database.run(connection -> {
            try (PreparedStatement select = database.prepare(connection, RESULTS)) {
                select.setLong(1, seq);
                List<ResultInfo> results = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        results.add(new ResultInfo(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
                    }
                }
                return results;
            }
        });
    }

    @Override
    public InputStream openRecords(long seq, int number) {
        int count = database.run(connection -> {
            try (PreparedStatement select = database.prepare(connection, CHUNK_COUNT)) {
                select.setLong(1, seq);
                select.setInt(2, number);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? rs.getInt(1) : -1;
                }
            }
        });
        if (count < 0) {
            throw new IllegalStateException("result set " + number + " of job " + seq + " is not kept");
        }
        return chunks.open(seq, number, count);
    }

    @Override
    public void clearOutput(long seq) {
        database.inTransaction(connection -> {
            for (String delete : List.of(CLEAR_CHUNKS, CLEAR_RESULTS, CLEAR_STEPS)) {
                try (PreparedStatement statement = database.prepare(connection, delete)) {
                    statement.setLong(1, seq);
                    statement.executeUpdate();
                }
            }
            return null;
        });
    }

    // ---- nodes ---------------------------------------------------------------------------------

    @Override
    public void registerNode(String nodeId) {
        database.run(connection -> {
            try (PreparedStatement update = database.prepare(connection, REGISTER_NODE)) {
                update.setString(1, nodeId);
                if (update.executeUpdate() == 1) {
                    return null;
                }
            }
            try (PreparedStatement insert = database.prepare(connection, INSERT_NODE)) {
                insert.setString(1, nodeId);
                insert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public boolean heartbeat(String nodeId) {
        return database.run(connection -> {
            try (PreparedStatement update = database.prepare(connection, HEARTBEAT)) {
                update.setString(1, nodeId);
                return update.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<NodeInfo> nodes() {
        return database.run(connection -> {
            try (PreparedStatement select = database.prepare(connection, NODES)) {
                List<NodeInfo> nodes = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        nodes.add(new NodeInfo(rs.getString(1), rs.getLong(2), rs.getInt(3)));
                    }
                }
                return nodes;
            }
        });
    }

    @Override
    public List<String> silentNodes(long timeoutMillis) {
        return database.run(connection -> {
            try (PreparedStatement select = database.prepare(connection, SILENT_NODES)) {
                select.setLong(1, timeoutMillis);
                return strings(select);
            }
        });
    }

    @Override
    public List<String> vanishedNodes() {
        return database.run(connection -> {
            try (PreparedStatement select = database.prepare(connection, VANISHED_NODES)) {
                return strings(select);
            }
        });
    }

    @Override
    public int resolveNode(String nodeId, String message, int maxAttempts, boolean removeNode) {
        return database.inTransaction(connection -> {
            if (removeNode) {
                try (PreparedStatement delete = database.prepare(connection, DELETE_NODE)) {
                    delete.setString(1, nodeId);
                    delete.executeUpdate();
                }
            }
            int resolved;
            try (PreparedStatement requeue = database.prepare(connection, REQUEUE_NODE_JOBS)) {
                requeue.setString(1, nodeId);
                requeue.setInt(2, maxAttempts);
                resolved = requeue.executeUpdate();
            }
            try (PreparedStatement stop = database.prepare(connection, STOP_NODE_JOBS)) {
                stop.setString(1, message);
                stop.setString(2, nodeId);
                resolved += stop.executeUpdate();
            }
            return resolved;
        });
    }

    // ---- retention -----------------------------------------------------------------------------

    @Override
    public int purge(int keepPerApp, long keepMillis, long floorMillis, int batchSize) {
        long now = database.run(database::nowMillis);
        long floorCutoff = now - floorMillis;
        int deleted = deleteInBatches(OLD_FINISHED, List.of(now - Math.max(keepMillis, floorMillis)), batchSize);
        List<String> crowded = database.run(connection -> {
            try (PreparedStatement select = database.prepare(connection, APPS_OVER_KEEP)) {
                select.setInt(1, keepPerApp);
                return strings(select);
            }
        });
        for (String appId : crowded) {
            Long newestBeyond = database.run(connection -> {
                try (PreparedStatement select = database.prepare(connection, NEWEST_BEYOND_KEEP)) {
                    select.setString(1, appId);
                    select.setInt(2, keepPerApp);
                    List<Long> found = longs(select);
                    return found.isEmpty() ? null : found.get(0);
                }
            });
            if (newestBeyond != null) {
                deleted += deleteInBatches(APP_FINISHED_UP_TO, List.of(appId, newestBeyond, floorCutoff), batchSize);
            }
        }
        return deleted;
    }

    /** Deletes the jobs a candidate query finds, {@code batchSize} per transaction, until none is left. */
    private int deleteInBatches(String candidates, List<Object> values, int batchSize) {
        int deleted = 0;
        while (true) {
            List<Long> batch = database.run(connection -> {
                try (PreparedStatement select = database.prepare(connection, candidates)) {
                    List<Object> all = new ArrayList<>(values);
                    all.add(batchSize);
                    bind(select, all);
                    return longs(select);
                }
            });
            if (batch.isEmpty()) {
                return deleted;
            }
            deleteChunks(batch);
            deleted += database.inTransaction(connection -> deleteJobs(connection, batch));
            if (batch.size() < batchSize) {
                return deleted;
            }
        }
    }

    /**
     * Deletes the result chunks of jobs, {@value #CHUNKS_PER_DELETE} chunks per transaction: a
     * transaction never holds more than a few MB of deleted rows (H2 keeps them in the heap until it
     * commits), however large the jobs' results were.
     */
    private void deleteChunks(Collection<Long> seqs) {
        String select = "SELECT job_seq, result_no, chunk_no FROM il_result_chunk WHERE job_seq IN "
                + placeholders(seqs.size()) + " ORDER BY job_seq, result_no, chunk_no LIMIT " + CHUNKS_PER_DELETE;
        while (true) {
            List<long[]> chunkKeys = database.run(connection -> {
                try (PreparedStatement statement = database.prepare(connection, select)) {
                    bind(statement, new ArrayList<>(seqs));
                    List<long[]> keys = new ArrayList<>();
                    try (ResultSet rs = statement.executeQuery()) {
                        while (rs.next()) {
                            keys.add(new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)});
                        }
                    }
                    return keys;
                }
            });
            if (chunkKeys.isEmpty()) {
                return;
            }
            database.inTransaction(connection -> {
                try (PreparedStatement delete = database.prepare(connection, DELETE_CHUNK)) {
                    for (long[] key : chunkKeys) {
                        delete.setLong(1, key[0]);
                        delete.setInt(2, (int) key[1]);
                        delete.setInt(3, (int) key[2]);
                        delete.addBatch();
                    }
                    delete.executeBatch();
                }
                return null;
            });
        }
    }

    private int deleteJobs(Connection connection, Collection<Long> seqs) throws SQLException {
        String in = placeholders(seqs.size());
        List<Object> values = new ArrayList<>(seqs);
        for (String table : List.of("il_job_result", "il_job_step")) {
            try (PreparedStatement delete = database.prepare(connection,
                    "DELETE FROM " + table + " WHERE job_seq IN " + in)) {
                bind(delete, values);
                delete.executeUpdate();
            }
        }
        try (PreparedStatement delete = database.prepare(connection,
                "DELETE FROM il_job WHERE state IN " + FINISHED + " AND seq IN " + in)) {
            bind(delete, values);
            return delete.executeUpdate();
        }
    }

    // ---- mapping -------------------------------------------------------------------------------

    private static JobRecord record(ResultSet rs) throws SQLException {
        JobRequest request = new JobRequest(rs.getString("app_id"), rs.getString("job_id"),
                rs.getString("client_name"), rs.getString("scenario"), rs.getString("op_name"),
                rs.getString("operation"), rs.getInt("timeout_seconds"), rs.getBoolean("rerun_if_interrupted"),
                concurrency(rs));
        int step = rs.getInt("progress_step");
        JobRecord.Progress progress = rs.wasNull() ? null
                : new JobRecord.Progress(step, rs.getInt("progress_steps"), rs.getString("progress_title"));
        return new JobRecord(rs.getLong("seq"), request, JobState.ofStateName(rs.getString("state")),
                rs.getInt("attempt"), rs.getString("node_id"), instant(rs, "submitted_at"),
                instant(rs, "started_at"), instant(rs, "finished_at"), rs.getString("message"), progress);
    }

    private static Concurrency concurrency(ResultSet rs) throws SQLException {
        int max = rs.getInt("concurrency_max");
        if (rs.wasNull()) {
            return null;
        }
        return new Concurrency(max, rs.getBoolean("concurrency_reject") ? Concurrency.WhenBusy.REJECT
                : Concurrency.WhenBusy.QUEUE);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    private static String placeholders(int count) {
        return "(" + "?, ".repeat(Math.max(0, count - 1)) + (count > 0 ? "?" : "") + ")";
    }

    private static void bind(PreparedStatement statement, List<Object> values) throws SQLException {
        int index = 1;
        for (Object value : values) {
            if (value instanceof Long number) {
                statement.setLong(index++, number);
            } else if (value instanceof Integer number) {
                statement.setInt(index++, number);
            } else if (value == null) {
                statement.setNull(index++, Types.VARCHAR);
            } else {
                statement.setString(index++, value.toString());
            }
        }
    }

    private static List<Long> longs(PreparedStatement select) throws SQLException {
        List<Long> values = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                values.add(rs.getLong(1));
            }
        }
        return values;
    }

    private static List<String> strings(PreparedStatement select) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
