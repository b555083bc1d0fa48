package org.openinfolink.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openinfolink.testdb.DatabaseServer;

/**
 * Part {@code large}: a 6-column result of {@code bench.rows} rows (1,000,000 by default) fetched
 * from the server through {@code executeJob.jsp} (sync) and through {@code getJobStatus.jsp}
 * (async), next to a bare JDBC-to-Jackson loop over the same query ({@link JdbcJsonBaseline}) in
 * the same run, with the server's heap capped. Two rounds, each on a server of its own:
 *
 * <ul>
 *   <li><b>H2</b>: the result computed by the app's {@code default} source, and the job store on
 *       that same DataSource (the container's {@code jdbc/infolink}, an H2 file): no
 *       {@code store:} in {@code infolink.yaml}, as a fresh install runs;</li>
 *   <li><b>PostgreSQL</b>: the result computed by the embedded PostgreSQL (the app's source
 *       {@code pg}, a database of its own), and the job store on the same PostgreSQL server in
 *       another database of its own, named by {@code store:} in {@code infolink.yaml}.</li>
 * </ul>
 *
 * <p>In each round, after one warm-up run of each mode, the baseline, sync and async runs take
 * turns for {@code bench.runs} rounds, and the report shows the median of each. The server's heap
 * is watched through JMX ({@link HeapProbe}). Throws when any run fails or returns other records
 * than expected.
 */
final class LargeResultBenchmark {

    /** How often an async run asks for the job's status. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private LargeResultBenchmark() {
    }

    /** One round: where the result is computed, and where the server keeps its job store. */
    private record Round(String serverName, BenchDatabase database, String storeLabel, String storeYaml,
                         String storeDescription) {
    }

    /**
     * Runs both rounds and returns the report: a header, the table, the legend and the summary.
     *
     * @param postgresql the embedded PostgreSQL server, on which this part makes its databases
     */
    static List<String> run(BenchOptions options, DatabaseServer postgresql) throws Exception {
        DatabaseServer data = postgresql.createDatabase("bench_large_data");
        DatabaseServer store = postgresql.createDatabase("bench_large_store");
        List<Round> rounds = List.of(
                new Round("large-h2", BenchDatabase.h2(options.rows()), "H2", "",
                        "H2: the default source's DataSource, jdbc/infolink (no store: in infolink.yaml)"),
                new Round("large-postgresql", BenchDatabase.postgresql(data, options.rows()), "PostgreSQL",
                        BenchServer.storeYaml(store, 8),
                        "PostgreSQL: store: in infolink.yaml, a database of its own on the embedded server"));
        List<String> header = new ArrayList<>();
        header.add("Result: " + String.format(Locale.ROOT, "%,d", options.rows()) + " rows x "
                + ExpectedRecords.COLUMNS.length + " columns " + String.join(", ", ExpectedRecords.COLUMNS)
                + "; async polls every " + POLL_INTERVAL.toMillis() + " ms; one warm-up run of each mode, then "
                + options.runs() + (options.runs() == 1 ? " round" : " rounds"));
        header.add("Baseline: JDBC + Jackson JsonGenerator in the benchmark JVM (-Xmx"
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + "m), fetch size " + JdbcJsonBaseline.FETCH_SIZE
                + ", to a null stream");
        List<RunSummary> summaries = new ArrayList<>();
        for (Round round : rounds) {
            Benchmarks.progress("large, " + round.database().label() + ": starting Tomcat with "
                    + options.heapFlags() + ", job store on " + round.storeLabel());
            try (BenchServer server = BenchServer.start(options, round.serverName(), settings(options, round),
                    appYaml(data), scenarios(round.database()));
                 HeapProbe heap = HeapProbe.attach(server.tomcat().pid())) {
                header.add("Server " + round.serverName() + ": " + options.tomcatHome().getFileName() + " with "
                        + options.war().getFileName() + ", " + options.heapFlags() + ", heap pools "
                        + heap.poolNames() + ", started in " + server.tomcat().startupDuration().toMillis()
                        + " ms; job store " + round.storeDescription());
                JobApiClient client = new JobApiClient(server.tomcat(), server.apiKey(), BenchServer.APP_ID);
                try {
                    summaries.addAll(measure(round, options.runs(), client, heap));
                } catch (Exception | Error e) {
                    System.err.println("The large-result part failed; the server's log is "
                            + server.tomcat().catalinaOut());
                    throw e;
                }
                Benchmarks.progress("large, " + round.database().label() + ": stopping Tomcat");
            }
        }
        return new ResultTable(header, summaries).lines();
    }

    /**
     * One warm-up run of each mode, then {@code runs} rounds of baseline, sync and async in turn,
     * so that whatever else the machine does weighs on the three alike.
     */
    private static List<RunSummary> measure(Round round, int runs, JobApiClient client, HeapProbe heap)
            throws Exception {
        BenchDatabase database = round.database();
        Benchmarks.progress("large, " + database.label() + ": warm-up (baseline, sync, async)");
        JdbcJsonBaseline.run(database);
        client.runSync(database);
        client.runAsync(database, POLL_INTERVAL);
        List<Measurement> baseline = new ArrayList<>();
        List<Measurement> sync = new ArrayList<>();
        List<Measurement> async = new ArrayList<>();
        for (int number = 1; number <= runs; number++) {
            Benchmarks.progress("large, " + database.label() + ": round " + number + " of " + runs
                    + " (baseline, sync, async)");
            JdbcJsonBaseline.Run run = JdbcJsonBaseline.run(database);
            baseline.add(new Measurement(database.label(), "-", Measurement.BASELINE, run.rows(), run.bytes(),
                    run.nanos(), null, null, 0, null, null, null));
            heap.resetPeaks();
            sync.add(serverMeasurement(round, "sync", client.runSync(database), heap));
            heap.resetPeaks();
            async.add(serverMeasurement(round, "async", client.runAsync(database, POLL_INTERVAL), heap));
        }
        return List.of(new RunSummary(baseline), new RunSummary(sync), new RunSummary(async));
    }

    private static Measurement serverMeasurement(Round round, String mode, JobApiClient.Run run, HeapProbe heap) {
        return new Measurement(round.database().label(), round.storeLabel(), mode, run.answer().records(),
                run.answer().bytes(), run.totalNanos(), run.job(), run.firstByteNanos(), run.polls(),
                heap.peakHeapBytes(), heap.peakOldGenBytes(), heap.maxHeapBytes());
    }

    /**
     * {@code jobs.maxResultRows} exactly the result's size, a sync timeout no run reaches, 1000
     * rows per round trip as the baseline (the default, written out), and the default retention,
     * under which no job of this part is purged while it runs: every result stays in the store
     * (about 1 GB for the 8 runs of a round) until the server's base or the embedded PostgreSQL
     * is deleted. Retention that deletes a large result while another is written would weigh on
     * the figures, and on H2 it needs more heap than the 256 MB measured here: H2 keeps the
     * deleted chunks of a purge batch in its undo log in memory.
     */
    private static String settings(BenchOptions options, Round round) {
        return "jobs:\n"
                + "  syncTimeoutSeconds: 1800\n"
                + "  maxResultRows: " + options.rows() + "\n"
                + "  statementFetchSize: 1000\n"
                + round.storeYaml();
    }

    private static String appYaml(DatabaseServer data) {
        return "name: Benchmark\n"
                + "description: A large result on H2 (the container default) and PostgreSQL\n"
                + "sources:\n"
                + BenchServer.sourceYaml("pg", data, 4);
    }

    private static Map<String, String> scenarios(BenchDatabase database) {
        Map<String, String> scenarios = new LinkedHashMap<>();
        scenarios.put(database.scenarioName(), "description: " + database.rows() + " rows of 6 columns computed by "
                + database.label() + "\n"
                + "steps:\n"
                + "  - opName: Transform\n"
                + "    title: large result\n"
                + "    opParams:\n"
                + "      sourceName: " + database.sourceName() + "\n"
                + "      query: " + BenchServer.yamlString(database.query()) + "\n"
                + "      returnResult: true\n"
                + "      resultName: rows\n");
        return scenarios;
    }
}
