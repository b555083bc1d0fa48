package org.openinfolink.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openinfolink.testdb.DatabaseServer;

/**
 * Part {@code submit}: async submissions per second on a PostgreSQL job store. A fixed number of
 * clients ({@link LoadGenerator}) each POST {@code executeJob.jsp} with {@code isAsync: true} for
 * the scenario {@value JobStoreBenchmark#TINY} (one Transform of {@code SELECT 1 AS x} on the app's
 * H2 source, returning that row) under a job id of their own, as fast as the answers come: first
 * for a warm-up, then, once every warm-up job has finished, for the measured window. An answer
 * counts when it is HTTP 200, {@code success}, and names the job.
 *
 * <p>The jobs must really run: after the window the part waits until the store holds no queued
 * or running job, then counts in the store, by job id, that every accepted job of the window is
 * {@code completed} with its one result set, and reads a sample of them back through
 * {@code getJobStatus.jsp} ({@code [{"x": 1}]}). Any error or missing job fails the part.
 */
final class SubmissionLoad {

    /** The goal, in accepted submissions per second. */
    static final double GOAL_PER_SECOND = 1000;

    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration DRAIN_POLL = Duration.ofMillis(100);
    private static final int SAMPLE_CHECKS = 20;
    /** Longer than PostgreSQL's statistics interval (500 ms), so the transaction count is complete. */
    private static final Duration STATISTICS_DELAY = Duration.ofMillis(1200);

    private static final String UNFINISHED = "SELECT COUNT(*) FROM il_job WHERE state IN ('queued', 'running',"
            + " 'stopping')";
    private static final String STATES_OF_PREFIX = "SELECT state, COUNT(*) FROM il_job WHERE job_id LIKE ?"
            + " GROUP BY state";
    private static final String RESULTS_OF_PREFIX = "SELECT COUNT(*) FROM il_job_result r JOIN il_job j"
            + " ON j.seq = r.job_seq WHERE j.job_id LIKE ?";

    private SubmissionLoad() {
    }

    /** Runs the warm-up and the measured window; returns the report lines. */
    static List<String> run(BenchOptions options, BenchServer server, JobStoreApi api, DatabaseServer store)
            throws Exception {
        int clients = options.submitClients();
        Benchmarks.progress("submit: one first job per client, then a warm-up of " + clients + " clients for "
                + options.submitWarmupSeconds() + " s");
        // the first calls of a fresh server take seconds (class loading, first connections): not the warm-up's time
        requireNoErrors("the first calls", LoadGenerator.forCount("submit", clients, clients,
                (client, number) -> api.execute(JobStoreBenchmark.TINY, "load-f-" + number, true)));
        if (options.submitWarmupSeconds() > 0) {
            LoadGenerator.Outcome warmUp = submitFor(api, "load-w-", clients,
                    Duration.ofSeconds(options.submitWarmupSeconds()));
            requireNoErrors("the warm-up", warmUp);
            Benchmarks.progress(String.format(Locale.ROOT, "submit: warm-up sent %,d jobs (%,.0f per s)",
                    warmUp.succeeded(), warmUp.perSecond()));
        }
        Duration warmUpDrained = awaitDrained(store, server);
        Benchmarks.progress("submit: every warm-up job finished " + warmUpDrained.toMillis()
                + " ms after the last answer");
        server.tomcat().pauseWhileRunning(STATISTICS_DELAY);
        long transactionsBefore = StoreQueries.transactions(store);
        Benchmarks.progress("submit: measuring, " + clients + " clients for " + options.submitSeconds() + " s");
        double loadBefore = Benchmarks.systemLoad();
        Duration serverCpuBefore = server.cpuTime();
        Duration benchCpuBefore = Benchmarks.ownCpuTime();
        LoadGenerator.Outcome outcome = submitFor(api, "load-m-", clients, Duration.ofSeconds(options.submitSeconds()));
        Duration serverCpu = server.cpuTime().minus(serverCpuBefore);
        Duration benchCpu = Benchmarks.ownCpuTime().minus(benchCpuBefore);
        Duration drained = awaitDrained(store, server);
        double loadAfter = Benchmarks.systemLoad();
        server.tomcat().pauseWhileRunning(STATISTICS_DELAY);
        long transactions = StoreQueries.transactions(store) - transactionsBefore;
        if (outcome.succeeded() == 0) {
            requireNoErrors("the measured window", outcome);
        }
        Map<String, Long> states = countStates(store, "load-m-%");
        long completed = states.getOrDefault("completed", 0L);
        long results = countResults(store, "load-m-%");

        double window = outcome.elapsedNanos() / 1e9;
        double rate = outcome.perSecond();
        double runRate = completed / (window + drained.toNanos() / 1e9);
        Latencies latencies = outcome.latencies();
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "Async submissions of scenario %s (SELECT 1 AS x on the app's H2 source,"
                        + " one result set) by %d clients for %.1f s after a %d s warm-up; job store on PostgreSQL;"
                        + " jobs.maxConcurrent 4 (default), store pool maxTotal %d",
                JobStoreBenchmark.TINY, clients, window, options.submitWarmupSeconds(),
                JobStoreBenchmark.STORE_POOL_MAX_TOTAL));
        lines.add("");
        lines.add(String.format(Locale.ROOT, "%-11s  %8s  %9s  %8s  %8s  %8s  %8s  %6s  %s",
                "part", "accepted", "per s", "p50", "p95", "p99", "max", "errors", "vs goal (1,000/s)"));
        lines.add(String.format(Locale.ROOT, "%-11s  %,8d  %,9.0f  %8s  %8s  %8s  %8s  %6d  %.2f (%s)",
                "submit", outcome.succeeded(), rate, Latencies.millis(latencies.p50()),
                Latencies.millis(latencies.p95()), Latencies.millis(latencies.p99()),
                Latencies.millis(latencies.max()), outcome.errors(), rate / GOAL_PER_SECOND,
                rate >= GOAL_PER_SECOND ? "goal met" : "goal NOT met"));
        lines.add("");
        lines.add(String.format(Locale.ROOT, "Of the %,d accepted jobs the store holds %s, with %,d result sets;"
                        + " the last finished %.1f s after the window: %,.0f jobs run per second from the window's"
                        + " start", outcome.succeeded(), states, results, drained.toNanos() / 1e9, runRate));
        lines.add(String.format(Locale.ROOT, "Store round trips: %,d transactions in the store database from the"
                        + " window's start until every job had finished, %.1f per accepted job (each auto-commit"
                        + " statement, pool validation queries included, is one; the heartbeat and this benchmark's"
                        + " own polling add a few)", transactions, transactions / (double) Math.max(1, completed)));
        lines.add(String.format(Locale.ROOT, "CPU during the window: server (Tomcat) %.1f s, benchmark JVM (clients)"
                        + " %.1f s, of %d cores x %.1f s; load average %.2f before, %.2f after",
                serverCpu.toNanos() / 1e9, benchCpu.toNanos() / 1e9, Runtime.getRuntime().availableProcessors(),
                window, loadBefore, loadAfter));
        lines.add("Latency: from sending the POST to the last byte of the answer, which the server sends after"
                + " the job is committed to the store (started at once when a slot is free, else queued).");
        if (outcome.errors() > 0) {
            throw new BenchReport.PartFailed(lines, outcome.errors() + " of " + outcome.calls() + " submissions"
                    + " failed; the first: " + String.join(" | ", outcome.errorSamples()));
        }
        if (completed != outcome.succeeded() || states.size() != 1 || results != completed) {
            throw new BenchReport.PartFailed(lines, outcome.succeeded() + " jobs were accepted, but the store holds "
                    + states + " of them, with " + results + " result sets");
        }
        checkSample(api, clients, outcome.succeeded());
        return lines;
    }

    private static LoadGenerator.Outcome submitFor(JobStoreApi api, String prefix, int clients, Duration duration)
            throws InterruptedException {
        return LoadGenerator.forDuration("submit", clients, duration,
                (client, number) -> api.execute(JobStoreBenchmark.TINY, prefix + client + "-" + number, true));
    }

    private static void requireNoErrors(String what, LoadGenerator.Outcome outcome) {
        if (outcome.errors() > 0) {
            throw new IllegalStateException(outcome.errors() + " of " + outcome.calls() + " submissions of " + what
                    + " failed; the first: " + String.join(" | ", outcome.errorSamples()));
        }
        if (outcome.succeeded() == 0) {
            throw new IllegalStateException("no submission of " + what + " was answered");
        }
    }

    /** Waits until the store holds no unfinished job; returns how long that took. */
    static Duration awaitDrained(DatabaseServer store, BenchServer server) throws SQLException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + DRAIN_TIMEOUT.toNanos();
        try (Connection connection = store.connect();
             PreparedStatement count = connection.prepareStatement(UNFINISHED)) {
            while (true) {
                long unfinished;
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    unfinished = rs.getLong(1);
                }
                long now = System.nanoTime();
                if (unfinished == 0) {
                    return Duration.ofNanos(now - start);
                }
                if (now > deadline) {
                    throw new IllegalStateException(unfinished + " jobs are still unfinished "
                            + DRAIN_TIMEOUT.toMinutes() + " minutes after the load; see "
                            + server.tomcat().catalinaOut());
                }
                server.tomcat().pauseWhileRunning(DRAIN_POLL);
            }
        }
    }

    private static Map<String, Long> countStates(DatabaseServer store, String jobIdPattern) throws SQLException {
        Map<String, Long> states = new TreeMap<>();
        try (Connection connection = store.connect();
             PreparedStatement select = connection.prepareStatement(STATES_OF_PREFIX)) {
            select.setString(1, jobIdPattern);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    states.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return states;
    }

    private static long countResults(DatabaseServer store, String jobIdPattern) throws SQLException {
        try (Connection connection = store.connect();
             PreparedStatement select = connection.prepareStatement(RESULTS_OF_PREFIX)) {
            select.setString(1, jobIdPattern);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Reads back the first job of some clients: completed, with the one record {@code {"x": 1}}. */
    private static void checkSample(JobStoreApi api, int clients, int accepted) throws Exception {
        int checks = Math.min(SAMPLE_CHECKS, Math.min(clients, accepted));
        for (int client = 0; client < checks; client++) {
            String jobId = "load-m-" + client + "-0";
            JsonNode status = api.status(jobId);
            JsonNode records = status.path("results").path(0).path("result").path("records");
            boolean ok = "completed".equals(status.path("status").asText())
                    && status.path("results").size() == 1
                    && records.size() == 1 && records.path(0).path("x").asInt(-1) == 1;
            if (!ok) {
                throw new IllegalStateException("job " + jobId + " did not complete with [{\"x\": 1}]: " + status);
            }
        }
    }
}
