package org.openinfolink.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.openinfolink.testdb.DatabaseServer;

/**
 * What the job-store parts read from the PostgreSQL store directly, and the query plans of the
 * SQL the server issues for {@code getJobStatus} and {@code getJobs}, and of the background
 * queries that scan {@code il_job} while those are measured. The SQL texts below are copies of
 * the ones in {@code JdbcJobStore} (its {@code FIND}, {@code STEPS}, {@code RESULTS},
 * {@code list}, {@code VANISHED_NODES}, {@code OLD_FINISHED} and {@code APPS_OVER_KEEP}); keep
 * them in step. Stateless.
 */
final class StoreQueries {

    /** The file, in the output folder, that {@link #writePlans} writes. */
    static final String PLANS_FILE = "poll-plans.txt";

    private static final String JOB_COLUMNS = "seq, app_id, job_id, client_name, scenario, op_name, operation,"
            + " timeout_seconds, rerun_if_interrupted, state, attempt, node_id, submitted_at, started_at,"
            + " finished_at, message, progress_step, progress_steps, progress_title";
    private static final String FIND = "SELECT " + JOB_COLUMNS + " FROM il_job WHERE app_id = $1 AND job_id = $2";
    private static final String STEPS = "SELECT trace FROM il_job_step WHERE job_seq = $1 ORDER BY step_no";
    private static final String RESULTS = "SELECT result_no, name, schema_json, row_count FROM il_job_result"
            + " WHERE job_seq = $1 ORDER BY result_no";
    private static final String LIST = "SELECT " + JOB_COLUMNS + " FROM il_job WHERE 1 = 1 AND app_id IN ($1)";
    private static final String FINISHED = "('completed', 'completedWithError', 'stopped')";
    private static final String VANISHED_NODES = "SELECT DISTINCT node_id FROM il_job WHERE state IN ('running',"
            + " 'stopping') AND node_id IS NOT NULL AND node_id NOT IN (SELECT node_id FROM il_node)";
    private static final String OLD_FINISHED = "SELECT seq FROM il_job WHERE state IN " + FINISHED
            + " AND finished_at < $1 ORDER BY seq LIMIT $2";
    private static final String APPS_OVER_KEEP = "SELECT app_id FROM il_job WHERE state IN " + FINISHED
            + " GROUP BY app_id HAVING COUNT(*) > $1";

    private static final Set<String> TABLES = Set.of("il_job", "il_job_step", "il_job_result", "il_result_chunk");

    private StoreQueries() {
    }

    /** The {@code seq} of a job of the benchmark app. */
    static long seqOf(DatabaseServer store, String jobId) throws SQLException {
        try (Connection connection = store.connect();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT seq FROM il_job WHERE app_id = ? AND job_id = ?")) {
            select.setString(1, BenchServer.APP_ID);
            select.setString(2, jobId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("job " + jobId + " is not in the store");
                }
                return rs.getLong(1);
            }
        }
    }

    /**
     * The transactions the store's database has committed and rolled back so far, as its
     * statistics say: every auto-commit statement is one. PostgreSQL 14 publishes them about
     * every half second, so a figure read right after work ended may still lack its last part.
     */
    static long transactions(DatabaseServer store) throws SQLException {
        try (Connection connection = store.connect(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_stat_clear_snapshot()");
            try (ResultSet rs = statement.executeQuery("SELECT xact_commit + xact_rollback FROM pg_stat_database"
                    + " WHERE datname = current_database()")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The rows of one of the store's tables. */
    static long count(DatabaseServer store, String table) throws SQLException {
        if (!TABLES.contains(table)) {
            throw new IllegalArgumentException("not a table of the job store: " + table);
        }
        try (Connection connection = store.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Writes {@code EXPLAIN (ANALYZE, BUFFERS)} of the server's statements for the two calls, with
     * values like the benchmark's: each once as a custom plan (for these values) and once as the
     * generic plan PostgreSQL may switch a server-prepared statement to after five executions.
     */
    static void writePlans(DatabaseServer store, Path file, JobSeeder.Seeded seeded) throws SQLException, IOException {
        long deep = seeded.seq(seeded.jobs() / 2);
        String app = literal(BenchServer.APP_ID);
        record Query(String title, String sql, String types, String values) {
        }
        List<Query> queries = List.of(
                new Query("getJobStatus: the job", FIND, "text, text",
                        app + ", " + literal("seed-" + seeded.jobs() / 2)),
                new Query("getJobStatus: its trace", STEPS, "bigint", Long.toString(deep)),
                new Query("getJobStatus: its result sets", RESULTS, "bigint", Long.toString(deep)),
                new Query("getJobs: newest page", LIST + " ORDER BY seq DESC LIMIT $2", "text, int", app + ", 51"),
                new Query("getJobs: after a deep cursor", LIST + " AND seq < $2 ORDER BY seq DESC LIMIT $3",
                        "text, bigint, int", app + ", " + deep + ", 51"),
                new Query("getJobs: status=completedWithError, deep cursor",
                        LIST + " AND state IN ($2) AND seq < $3 ORDER BY seq DESC LIMIT $4", "text, text, bigint, int",
                        app + ", 'completedWithError', " + deep + ", 51"),
                new Query("getJobs: status=stopped", LIST + " AND state IN ($2) ORDER BY seq DESC LIMIT $3",
                        "text, text, int", app + ", 'stopped', 51"),
                new Query("getJobs: scenario=Rare, deep cursor",
                        LIST + " AND scenario = $2 AND seq < $3 ORDER BY seq DESC LIMIT $4", "text, text, bigint, int",
                        app + ", " + literal(JobSeeder.RARE) + ", " + deep + ", 51"),
                new Query("getJobs: status=running",
                        LIST + " AND state IN ($2, $3, $4) ORDER BY seq DESC LIMIT $5", "text, text, text, text, int",
                        app + ", 'queued', 'running', 'stopping', 51"),
                new Query("heartbeat (every store.heartbeatSeconds): jobs of vanished nodes", VANISHED_NODES, "", ""),
                new Query("retention (every minute): jobs past keepFinishedMinutes", OLD_FINISHED, "bigint, int",
                        "0, 1000"),
                new Query("retention (every minute): apps over keepFinished", APPS_OVER_KEEP, "int", "10000000"));
        List<String> lines = new ArrayList<>();
        try (Connection connection = store.connect(); Statement statement = connection.createStatement()) {
            for (Query query : queries) {
                for (String mode : List.of("force_custom_plan", "force_generic_plan")) {
                    statement.execute("SET plan_cache_mode = " + mode);
                    boolean parameters = !query.types().isEmpty();
                    statement.execute("PREPARE bench_plan" + (parameters ? " (" + query.types() + ")" : "") + " AS "
                            + query.sql());
                    lines.add("== " + query.title() + " (" + mode + ")");
                    lines.add(query.sql() + (parameters ? "  -- " + query.values() : ""));
                    try (ResultSet rs = statement.executeQuery("EXPLAIN (ANALYZE, BUFFERS) EXECUTE bench_plan"
                            + (parameters ? " (" + query.values() + ")" : ""))) {
                        while (rs.next()) {
                            lines.add("  " + rs.getString(1));
                        }
                    } finally {
                        statement.execute("DEALLOCATE bench_plan");
                    }
                    lines.add("");
                }
            }
            statement.execute("RESET plan_cache_mode");
        }
        Files.createDirectories(file.getParent());
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    /** A text literal of a value the benchmark chose itself (a name, a job id). */
    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
