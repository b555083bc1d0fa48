package org.openinfolink.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Fills a PostgreSQL job store with finished jobs straight through SQL ({@code INSERT ... SELECT
 * FROM generate_series}), copied from template jobs the server really ran, so every seeded row
 * looks as the server writes it. Seeded job {@code n} (1 to {@code jobs}):
 *
 * <ul>
 *   <li>{@code seq} is {@code base + n} ({@link Seeded#seq}) and its {@code job_id} is
 *       {@code seed-<n>}; submitted 10 ms after job {@code n - 1}, so newer jobs have higher
 *       {@code seq}, the newest finished a minute before the seeding;</li>
 *   <li>its scenario ({@link #scenario}) is {@code Small} when {@code n % 10 == 0} (a result set of
 *       three records: 10 % of the jobs), {@code Rare} when {@code n % 100 == 55} (1 %), else
 *       {@code Mark} (a SetVariable, no result set);</li>
 *   <li>its state ({@link #state}) is {@code stopped} when {@code n % 50 == 3} (2 %),
 *       {@code completedWithError} when {@code n % 20 == 1} (5 %), else {@code completed};
 *       stopped and failed jobs have a message and no trace, completed ones the trace of their
 *       template (and the {@code Small} ones its result set and chunk).</li>
 * </ul>
 *
 * After the inserts the identity of {@code il_job.seq} is moved past the seeded rows, and the
 * tables are vacuumed and analysed, as autovacuum would have done on a store that grew to this
 * size over time. Stateless.
 */
final class JobSeeder {

    /** What was seeded: job {@code n} has {@code seq = base + n}. */
    record Seeded(long base, int jobs) {
        long seq(int n) {
            return base + n;
        }
    }

    /** The {@code seq} of the template jobs of the scenarios Small, Mark and Rare. */
    record Templates(long small, long mark, long rare) {
    }

    static final String SMALL = "Small";
    static final String MARK = "Mark";
    static final String RARE = "Rare";

    private static final String BASE = "SELECT COALESCE(MAX(seq), 0) + 1000 FROM il_job";
    private static final String NOW_MILLIS = "SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";
    /** The template of a seeded job by its number {@code n}: ? = small, rare, mark. */
    private static final String TEMPLATE_OF_N = "CASE WHEN n % 10 = 0 THEN ? WHEN n % 100 = 55 THEN ? ELSE ? END";
    private static final String FINISHED_WITHOUT_TRACE = "(n % 50 = 3 OR n % 20 = 1)";
    private static final String INSERT_JOBS = "INSERT INTO il_job (seq, app_id, job_id, client_name, scenario,"
            + " op_name, operation, timeout_seconds, rerun_if_interrupted, state, attempt, node_id, submitted_at,"
            + " started_at, finished_at, message)"
            + " SELECT ? + n, t.app_id, 'seed-' || n, t.client_name, t.scenario, t.op_name, t.operation,"
            + " t.timeout_seconds, t.rerun_if_interrupted,"
            + " CASE WHEN n % 50 = 3 THEN 'stopped' WHEN n % 20 = 1 THEN 'completedWithError' ELSE 'completed' END,"
            + " 1, 'bench-seed', ? + n * 10, ? + n * 10 + 2, ? + n * 10 + 12 + n % 40,"
            + " CASE WHEN n % 50 = 3 THEN 'Stopped by request'"
            + " WHEN n % 20 = 1 THEN 'Step 1 (mark) failed: seeded failure' END"
            + " FROM generate_series(1, ?) AS n JOIN il_job t ON t.seq = " + TEMPLATE_OF_N;
    private static final String INSERT_STEPS = "INSERT INTO il_job_step (job_seq, step_no, trace)"
            + " SELECT ? + n, s.step_no, s.trace FROM generate_series(1, ?) AS n"
            + " JOIN il_job_step s ON s.job_seq = " + TEMPLATE_OF_N
            + " WHERE NOT " + FINISHED_WITHOUT_TRACE;
    private static final String INSERT_RESULTS = "INSERT INTO il_job_result (job_seq, result_no, name, schema_json,"
            + " row_count, chunk_count)"
            + " SELECT ? + n, r.result_no, r.name, r.schema_json, r.row_count, r.chunk_count"
            + " FROM generate_series(10, ?, 10) AS n CROSS JOIN il_job_result r WHERE r.job_seq = ?";
    private static final String INSERT_CHUNKS = "INSERT INTO il_result_chunk (job_seq, result_no, chunk_no, data)"
            + " SELECT ? + n, c.result_no, c.chunk_no, c.data"
            + " FROM generate_series(10, ?, 10) AS n CROSS JOIN il_result_chunk c WHERE c.job_seq = ?";
    private static final String MOVE_IDENTITY = "SELECT setval(pg_get_serial_sequence('il_job', 'seq'),"
            + " (SELECT MAX(seq) FROM il_job))";
    private static final String[] VACUUM = {
        "VACUUM (ANALYZE) il_job", "VACUUM (ANALYZE) il_job_step", "VACUUM (ANALYZE) il_job_result",
        "VACUUM (ANALYZE) il_result_chunk"};

    private JobSeeder() {
    }

    /** The scenario of seeded job {@code n}. */
    static String scenario(int n) {
        return n % 10 == 0 ? SMALL : n % 100 == 55 ? RARE : MARK;
    }

    /** The state of seeded job {@code n}, as the API's {@code state} names it. */
    static String state(int n) {
        return n % 50 == 3 ? "stopped" : n % 20 == 1 ? "completedWithError" : "completed";
    }

    /**
     * Inserts {@code jobs} finished jobs; returns where they are. The store must hold the
     * templates and no unfinished job; its {@code seq} values stay unique because the seeded
     * ones start above every existing one.
     */
    static Seeded seed(Connection connection, int jobs, Templates templates) throws SQLException {
        long base = single(connection, BASE);
        long firstSubmitted = single(connection, NOW_MILLIS) - 60_000L - 10L * jobs;
        try (PreparedStatement insert = connection.prepareStatement(INSERT_JOBS)) {
            insert.setLong(1, base);
            insert.setLong(2, firstSubmitted);
            insert.setLong(3, firstSubmitted);
            insert.setLong(4, firstSubmitted);
            insert.setInt(5, jobs);
            bindTemplates(insert, 6, templates);
            require(insert.executeUpdate(), jobs, "il_job");
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_STEPS)) {
            insert.setLong(1, base);
            insert.setInt(2, jobs);
            bindTemplates(insert, 3, templates);
            insert.executeUpdate();
        }
        for (String sql : new String[] {INSERT_RESULTS, INSERT_CHUNKS}) {
            try (PreparedStatement insert = connection.prepareStatement(sql)) {
                insert.setLong(1, base);
                insert.setInt(2, jobs);
                insert.setLong(3, templates.small());
                require(insert.executeUpdate(), jobs / 10, sql.substring(0, sql.indexOf('(')).trim());
            }
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(MOVE_IDENTITY);
            for (String vacuum : VACUUM) {
                statement.execute(vacuum);
            }
        }
        return new Seeded(base, jobs);
    }

    private static void bindTemplates(PreparedStatement statement, int first, Templates templates)
            throws SQLException {
        statement.setLong(first, templates.small());
        statement.setLong(first + 1, templates.rare());
        statement.setLong(first + 2, templates.mark());
    }

    private static void require(int inserted, int expected, String what) {
        if (inserted != expected) {
            throw new IllegalStateException(what + ": " + inserted + " rows seeded, not " + expected
                    + " (do the template jobs have one result set of one chunk each?)");
        }
    }

    private static long single(Connection connection, String sql) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql); ResultSet rs = select.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
