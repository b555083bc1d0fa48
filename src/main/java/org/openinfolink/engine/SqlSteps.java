package org.openinfolink.engine;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.openinfolink.config.Settings;
import org.openinfolink.json.Json;
import org.openinfolink.scenario.App;
import org.openinfolink.scenario.Operation;
import org.openinfolink.scenario.ScenarioChecker;
import org.openinfolink.sql.ColumnCodec;
import org.openinfolink.sql.ColumnInfo;
import org.openinfolink.sql.ColumnTypes;
import org.openinfolink.sql.DataSourceRegistry;
import org.openinfolink.sql.Jdbc;
import org.openinfolink.sql.SqlDialect;
import org.openinfolink.sql.SqlTemplate;
import org.openinfolink.sql.StatementSplitter;
import org.openinfolink.sql.TableDdl;

/**
 * The SQL operations: {@code Transform} (rows into a result set of the job, or into a table of any
 * source) and {@code RunSourceScript}. Every connection is borrowed and returned within one call;
 * every statement gets a query timeout and is tracked for cancellation.
 *
 * <p>A result set of more than {@link #HAND_OVER_AFTER_ROWS} rows is read on the job's thread and
 * written as JSON on another ({@code infolink-result-writer}), batch by batch, so that the cursor
 * and the encoding each get a core; a smaller one costs no hand-over. Thread safe.
 */
public final class SqlSteps implements AutoCloseable {

    /** What a step did, for the trace. */
    public record Outcome(Long rows, List<StepTrace.StatementTrace> statements) {
        public static final Outcome NONE = new Outcome(null, List.of());
    }

    private static final int CANCEL_CHECK_ROWS = 1024;
    private static final int TRACE_SQL_CHARS = 120;

    /** Rows of a result set written on the job's thread before the rest is handed over. */
    static final int HAND_OVER_AFTER_ROWS = 10_000;
    private static final int BATCH_ROWS = 1_000;
    private static final int BATCHES_IN_FLIGHT = 4;
    private static final Object[][] NO_MORE_ROWS = new Object[0][];
    private static final long WRITER_IDLE_SECONDS = 10;
    private static final Duration WRITER_STOP_WAIT = Duration.ofSeconds(30);

    private final DataSourceRegistry sources;
    private final Settings.Jobs settings;
    private final Clock clock;
    private final AtomicInteger writerNumber = new AtomicInteger();
    private final ExecutorService writers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, WRITER_IDLE_SECONDS,
            TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
                Thread thread = new Thread(task, "infolink-result-writer-" + writerNumber.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });

    public SqlSteps(DataSourceRegistry sources, Settings.Jobs settings, Clock clock) {
        this.sources = sources;
        this.settings = settings;
        this.clock = clock;
    }

    /** Ends the writer threads once no job runs; a result set started later is written on its job's thread. */
    @Override
    public void close() {
        writers.shutdown();
    }

    Outcome transform(App app, Operation.Transform transform, TemplateValues values, JobExecution job)
            throws Exception {
        if (transform.into() != null) {
            return copyInto(app, transform, values, job);
        }
        String resultName = values.render(transform.resultName());
        try (Connection connection = source(app, transform.sourceName()).getConnection()) {
            SqlDialect dialect = SqlDialect.of(connection);
            SqlTemplate query = SqlTemplate.parse(transform.query(), dialect);
            long rowCount = Jdbc.inTransaction(connection, c -> {
                try (PreparedStatement statement = prepareQuery(c, query, transform, values, job);
                     Cancellation.Tracked tracked = job.cancellation().track(statement);
                     ResultSet rows = statement.executeQuery()) {
                    try {
                        return stream(rows, ColumnTypes.describe(rows.getMetaData(), dialect), resultName,
                                transform.limit(), job);
                    } catch (Exception | Error e) {
                        abandon(statement, e);
                        throw e;
                    }
                }
            });
            return new Outcome(rowCount, List.of());
        }
    }

    /** Streams the rows into a new result set of the job; returns how many were read. */
    private long stream(ResultSet rows, List<ColumnInfo> columns, String resultName, Long limit,
                        JobExecution job) throws Exception {
        int count = columns.size();
        SerializedString[] names = new SerializedString[count];
        ColumnCodec[] codecs = new ColumnCodec[count];
        for (int i = 0; i < count; i++) {
            names[i] = new SerializedString(columns.get(i).name());
            codecs[i] = columns.get(i).codec();
        }
        long read = 0;
        ResultOutput output = job.listener().newResult(resultName, List.copyOf(columns));
        try (JsonGenerator json = Json.generator(output.records())) {
            json.writeStartArray();
            boolean handOver = false;
            while ((limit == null || read < limit) && rows.next()) {
                checkRow(read, resultName, job);
                if (read == HAND_OVER_AFTER_ROWS && !writers.isShutdown()) {
                    handOver = true;
                    break;
                }
                json.writeStartObject();
                for (int i = 0; i < count; i++) {
                    json.writeFieldName(names[i]);
                    codecs[i].writeJson(rows, i + 1, json);
                }
                json.writeEndObject();
                read++;
            }
            if (handOver) {
                read = handOver(rows, names, codecs, json, read, limit, resultName, job);
            }
            json.writeEndArray();
            json.flush();
            output.complete(read);
        } catch (Exception | Error e) {
            output.discard();
            throw e;
        }
        return read;
    }

    /** Before row {@code read} (0-based) is taken: the row limit, and now and then the job's cancellation. */
    private void checkRow(long read, String resultName, JobExecution job) throws JobCancelledException {
        if (read == settings.maxResultRows()) {
            throw new StepInputException("result set " + (resultName == null ? "" : "'" + resultName
                    + "' ") + "has more than " + settings.maxResultRows() + " rows (jobs.maxResultRows)");
        }
        if (read % CANCEL_CHECK_ROWS == 0) {
            job.cancellation().throwIfCancelled();
        }
    }

    /**
     * Reads the rest of a result set, from its current row on, in batches of values that a writer
     * thread writes to {@code json}; returns how many rows were read in all. {@code json} is the
     * writer's until it has ended, whatever happens.
     */
    private long handOver(ResultSet rows, SerializedString[] names, ColumnCodec[] codecs, JsonGenerator json,
                          long readBefore, Long limit, String resultName, JobExecution job) throws Exception {
        BlockingQueue<Object[][]> batches = new ArrayBlockingQueue<>(BATCHES_IN_FLIGHT);
        CountDownLatch writerEnded = new CountDownLatch(1);
        Future<?> writer;
        try {
            writer = writers.submit(() -> {
                try {
                    writeBatches(batches, names, codecs, json);
                    return null;
                } finally {
                    writerEnded.countDown();
                }
            });
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("the server is stopping", e);
        }
        long read = readBefore;
        try {
            Object[][] batch = new Object[BATCH_ROWS][];
            int filled = 0;
            boolean current = true;
            while (current) {
                Object[] row = new Object[codecs.length];
                for (int i = 0; i < codecs.length; i++) {
                    row[i] = codecs[i].read(rows, i + 1);
                }
                batch[filled++] = row;
                read++;
                if (filled == BATCH_ROWS) {
                    hand(batches, batch, writer);
                    batch = new Object[BATCH_ROWS][];
                    filled = 0;
                }
                current = (limit == null || read < limit) && rows.next();
                if (current) {
                    checkRow(read, resultName, job);
                }
            }
            if (filled > 0) {
                hand(batches, batch, writer);
            }
            hand(batches, NO_MORE_ROWS, writer);
            awaitWriter(writer);
            return read;
        } catch (Exception | Error e) {
            writer.cancel(true);
            if (!writerEnded.await(WRITER_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                e.addSuppressed(new IllegalStateException("the result's writer did not stop"));
            }
            throw e;
        }
    }

    private static void writeBatches(BlockingQueue<Object[][]> batches, SerializedString[] names, ColumnCodec[] codecs,
                                     JsonGenerator json) throws InterruptedException, IOException {
        while (true) {
            Object[][] batch = batches.take();
            if (batch == NO_MORE_ROWS) {
                return;
            }
            for (Object[] row : batch) {
                if (row == null) {
                    break;
                }
                json.writeStartObject();
                for (int i = 0; i < codecs.length; i++) {
                    json.writeFieldName(names[i]);
                    codecs[i].writeValue(row[i], json);
                }
                json.writeEndObject();
            }
        }
    }

    /** Queues a batch for the writer, or fails with the writer's failure once it has ended. */
    private static void hand(BlockingQueue<Object[][]> batches, Object[][] batch, Future<?> writer) throws Exception {
        while (!batches.offer(batch, 50, TimeUnit.MILLISECONDS)) {
            if (writer.isDone()) {
                awaitWriter(writer);
                throw new IllegalStateException("the result's writer ended before the last row");
            }
        }
    }

    /** Waits for the writer; its failure is the step's, as it would have been on the job's thread. */
    private static void awaitWriter(Future<?> writer) throws Exception {
        try {
            writer.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private Outcome copyInto(App app, Operation.Transform transform, TemplateValues values, JobExecution job)
            throws Exception {
        Operation.Into into = transform.into();
        String tableName = values.render(into.tableName());
        if (!ScenarioChecker.TABLE_NAME.matcher(tableName).matches()) {
            throw new StepInputException("into.tableName '" + tableName
                    + "' is not a plain or schema-qualified identifier");
        }
        DataSource target = source(app, into.sourceName());
        try (Connection sourceConnection = source(app, transform.sourceName()).getConnection();
             Connection targetConnection = target.getConnection()) {
            SqlDialect sourceDialect = SqlDialect.of(sourceConnection);
            SqlDialect targetDialect = SqlDialect.of(targetConnection);
            SqlTemplate query = SqlTemplate.parse(transform.query(), sourceDialect);
            long written = Jdbc.inTransaction(sourceConnection, c -> {
                try (PreparedStatement statement = prepareQuery(c, query, transform, values, job);
                     Cancellation.Tracked tracked = job.cancellation().track(statement);
                     ResultSet rows = statement.executeQuery()) {
                    List<ColumnInfo> columns = ColumnTypes.describe(rows.getMetaData(), sourceDialect);
                    try {
                        List<String> targetColumns = prepareTable(targetConnection, targetDialect, tableName,
                                columns, job);
                        return Jdbc.inTransaction(targetConnection, t -> {
                            long inserted = insertRows(t, targetDialect, tableName, targetColumns, columns, rows,
                                    into, transform.limit(), job);
                            job.cancellation().throwIfCancelled();
                            return inserted;
                        });
                    } catch (Exception | Error e) {
                        abandon(statement, e);
                        throw e;
                    }
                }
            });
            return new Outcome(written, List.of());
        }
    }

    /** Creates the table when missing; returns the target's column names for the result's columns. */
    private List<String> prepareTable(Connection connection, SqlDialect dialect, String tableName,
                                      List<ColumnInfo> columns, JobExecution job) throws Exception {
        Map<String, String> existing = tableColumns(connection, tableName);
        if (existing == null) {
            try (Statement create = connection.createStatement();
                 Cancellation.Tracked tracked = job.cancellation().track(create)) {
                applyTimeout(create, timeoutSeconds(null, job));
                create.execute(TableDdl.createTable(tableName, columns, dialect));
            }
            existing = tableColumns(connection, tableName);
            if (existing == null) {
                throw new IllegalStateException("table " + tableName + " was created but cannot be found");
            }
        }
        List<String> names = new ArrayList<>();
        for (ColumnInfo column : columns) {
            String actual = existing.get(column.name().toLowerCase(Locale.ROOT));
            if (actual == null) {
                throw new StepInputException("table " + tableName + " has no column '" + column.name() + "'");
            }
            names.add(actual);
        }
        return names;
    }

    /** The columns of a table by lower-case name, or null when the table does not exist. */
    private static Map<String, String> tableColumns(Connection connection, String tableName) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        int dot = tableName.indexOf('.');
        String schema = dot < 0 ? null : tableName.substring(0, dot);
        String table = dot < 0 ? tableName : tableName.substring(dot + 1);
        boolean schemasAreCatalogs = !meta.supportsSchemasInTableDefinitions() && meta.supportsCatalogsInTableDefinitions();
        String catalog = schemasAreCatalogs ? (schema != null ? schema : connection.getCatalog()) : null;
        String schemaFilter = schemasAreCatalogs ? null : (schema != null ? schema : connection.getSchema());
        Map<String, String> columns = new LinkedHashMap<>();
        for (String candidate : new String[] {table, table.toLowerCase(Locale.ROOT), table.toUpperCase(Locale.ROOT)}) {
            try (ResultSet rs = meta.getColumns(catalog, adjustCase(meta, schemaFilter), candidate, null)) {
                while (rs.next()) {
                    if (rs.getString("TABLE_NAME").equalsIgnoreCase(table)
                            && (schemaFilter == null || schemaFilter.equalsIgnoreCase(rs.getString("TABLE_SCHEM")))) {
                        String name = rs.getString("COLUMN_NAME");
                        columns.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
                    }
                }
            }
            if (!columns.isEmpty()) {
                return columns;
            }
        }
        return null;
    }

    private static String adjustCase(DatabaseMetaData meta, String name) throws SQLException {
        if (name == null) {
            return null;
        }
        if (meta.storesLowerCaseIdentifiers()) {
            return name.toLowerCase(Locale.ROOT);
        }
        if (meta.storesUpperCaseIdentifiers()) {
            return name.toUpperCase(Locale.ROOT);
        }
        return name;
    }

    private long insertRows(Connection connection, SqlDialect dialect, String tableName, List<String> targetColumns,
                            List<ColumnInfo> columns, ResultSet rows, Operation.Into into, Long limit,
                            JobExecution job) throws Exception {
        String quote = connection.getMetaData().getIdentifierQuoteString().trim();
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(tableName).append(" (");
        for (int i = 0; i < targetColumns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(quote).append(targetColumns.get(i).replace(quote, quote + quote))
                    .append(quote);
        }
        sql.append(") VALUES (").append("?, ".repeat(targetColumns.size() - 1)).append("?)");
        int count = columns.size();
        ColumnCodec[] codecs = new ColumnCodec[count];
        for (int i = 0; i < count; i++) {
            codecs[i] = columns.get(i).codec();
        }
        if (into.replace()) {
            try (Statement delete = connection.createStatement();
                 Cancellation.Tracked tracked = job.cancellation().track(delete)) {
                applyTimeout(delete, timeoutSeconds(null, job));
                delete.executeUpdate("DELETE FROM " + tableName);
            }
        }
        long written = 0;
        try (PreparedStatement insert = connection.prepareStatement(sql.toString());
             Cancellation.Tracked tracked = job.cancellation().track(insert)) {
            applyTimeout(insert, timeoutSeconds(null, job));
            int batched = 0;
            while ((limit == null || written < limit) && rows.next()) {
                for (int i = 0; i < count; i++) {
                    codecs[i].bind(insert, i + 1, codecs[i].read(rows, i + 1), dialect);
                }
                insert.addBatch();
                written++;
                if (++batched == into.batchSize()) {
                    insert.executeBatch();
                    batched = 0;
                    job.cancellation().throwIfCancelled();
                }
            }
            if (batched > 0) {
                insert.executeBatch();
            }
        }
        return written;
    }

    Outcome runScript(App app, Operation.RunSourceScript script, TemplateValues values, JobExecution job)
            throws Exception {
        try (Connection connection = source(app, script.sourceName()).getConnection()) {
            SqlDialect dialect = SqlDialect.of(connection);
            List<String> statements = StatementSplitter.split(script.script(), dialect);
            List<StepTrace.StatementTrace> traces = Jdbc.inTransaction(connection, c -> {
                List<StepTrace.StatementTrace> done = new ArrayList<>();
                int number = 0;
                for (String sql : statements) {
                    number++;
                    job.cancellation().throwIfCancelled();
                    SqlTemplate template = SqlTemplate.parse(sql, dialect);
                    try (PreparedStatement statement = c.prepareStatement(template.sql());
                         Cancellation.Tracked tracked = job.cancellation().track(statement)) {
                        applyTimeout(statement, timeoutSeconds(script.queryTimeoutSeconds(), job));
                        values.bind(statement, template.parameterNames());
                        boolean hasRows = statement.execute();
                        long changed = hasRows ? -1 : statement.getUpdateCount();
                        done.add(new StepTrace.StatementTrace(number, abbreviate(sql), changed));
                    } catch (SQLException e) {
                        if (job.cancellation().isCancelled()) {
                            throw e;
                        }
                        throw new SQLException("statement " + number + " (" + abbreviate(sql) + "): "
                                + e.getMessage(), e.getSQLState(), e.getErrorCode(), e);
                    }
                }
                job.cancellation().throwIfCancelled();
                return List.copyOf(done);
            });
            return new Outcome(null, traces);
        }
    }

    private PreparedStatement prepareQuery(Connection connection, SqlTemplate query, Operation.Transform transform,
                                           TemplateValues values, JobExecution job) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(query.sql(), ResultSet.TYPE_FORWARD_ONLY,
                ResultSet.CONCUR_READ_ONLY);
        try {
            statement.setFetchSize(settings.statementFetchSize());
            applyTimeout(statement, timeoutSeconds(transform.queryTimeoutSeconds(), job));
            if (transform.limit() != null && transform.limit() < Integer.MAX_VALUE) {
                statement.setMaxRows((int) Math.max(transform.limit(), 1));
            }
            values.bind(statement, query.parameterNames());
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    /**
     * Cancels a query whose remaining rows will not be read, before its cursor is closed: MariaDB's
     * driver would otherwise read every remaining row of a streamed result on close. A failure to
     * cancel is added to {@code failure}.
     */
    private static void abandon(Statement statement, Throwable failure) {
        try {
            statement.cancel();
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * The query timeout: the step's, else the server's, else the job's time left rounded up to a
     * whole minute. The job's own timer cancels its statement at the deadline; the timeout is the
     * database's guard behind it, and one that changes by the second would cost H2 dearly (see
     * {@link #applyTimeout}).
     */
    private int timeoutSeconds(Integer stepTimeoutSeconds, JobExecution job) {
        int left = job.secondsLeft(clock.instant());
        int wholeMinutes = (int) Math.min(Integer.MAX_VALUE, (left + 59L) / 60 * 60);
        int configured = stepTimeoutSeconds != null ? stepTimeoutSeconds : settings.statementTimeoutSeconds();
        return configured > 0 ? Math.min(configured, wholeMinutes) : wholeMinutes;
    }

    /**
     * Gives a statement its query timeout unless it has it already. On H2 a statement starts with
     * its session's timeout, and every {@code setQueryTimeout} runs {@code SET QUERY_TIMEOUT},
     * after which every session of the database parses its statements again; elsewhere a new
     * statement starts with none and setting one costs nothing.
     */
    static void applyTimeout(Statement statement, int seconds) throws SQLException {
        if (statement.getQueryTimeout() != seconds) {
            statement.setQueryTimeout(seconds);
        }
    }

    private DataSource source(App app, String sourceName) {
        String name = sourceName == null ? app.defaultSource() : sourceName;
        return sources.source(app.id(), name).orElseThrow(() ->
                new StepInputException("source '" + name + "' is not available in app '" + app.id() + "'"));
    }

    private static String abbreviate(String sql) {
        String flat = sql.replaceAll("\\s+", " ").trim();
        return flat.length() <= TRACE_SQL_CHARS ? flat : flat.substring(0, TRACE_SQL_CHARS - 3) + "...";
    }
}
