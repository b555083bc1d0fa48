package org.openinfolink.bench;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.openinfolink.testdb.DatabaseServer;
import org.openinfolink.testdb.TestDatabase;

/**
 * The large-result benchmark (not a test): a {@value BenchDatabase#ROWS}-row, 6-column result
 * fetched from the server through {@code executeJob.jsp} (sync) and through
 * {@code getJobStatus.jsp} (async), on H2 and on PostgreSQL, with the server's heap capped, next to
 * a bare JDBC-to-Jackson loop over the same query ({@link JdbcJsonBaseline}) in the same run. It
 * prints rows per second for each, their ratio and the server's peak heap, and writes the same
 * report to {@code <output>/results.txt}.
 *
 * <p>Run it with {@code mvn -Pbench package} (see {@code bench/README.md}); the profile passes
 * the paths as system properties ({@link BenchOptions}). After one warm-up run of each mode, the
 * baseline, sync and async runs take turns for a number of rounds, and the report shows the
 * median of each. The server runs in its own JVM ({@link BenchServer}); PostgreSQL is the
 * embedded one of the tests, whose shutdown hook stops it when this JVM ends; Tomcat is stopped
 * before the report is printed. Exits non-zero when any run fails or returns other records than
 * expected.
 */
public final class LargeResultBenchmark {

    /** How often an async run asks for the job's status. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private LargeResultBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.fromSystemProperties();
        double loadAtStart = systemLoad();
        progress("Starting embedded PostgreSQL");
        DatabaseServer postgresql = TestDatabase.POSTGRESQL.server().createDatabase("bench");
        List<BenchDatabase> databases = List.of(BenchDatabase.h2(), BenchDatabase.postgresql(postgresql));

        List<RunSummary> summaries = new ArrayList<>();
        List<String> header = new ArrayList<>();
        progress("Starting Tomcat with -Xmx" + options.serverHeap());
        try (BenchServer server = BenchServer.start(options, databases, postgresql);
             HeapProbe heap = HeapProbe.attach(server.tomcat().pid())) {
            header.addAll(header(options, server, heap));
            JobApiClient client = new JobApiClient(server.tomcat(), server.apiKey(), BenchServer.APP_ID);
            try {
                for (BenchDatabase database : databases) {
                    summaries.addAll(measure(database, options.runs(), client, heap));
                }
            } catch (Exception | Error e) {
                System.err.println("The benchmark failed; the server's log is " + server.tomcat().catalinaOut());
                throw e;
            }
            progress("Stopping Tomcat");
        }

        header.add(String.format(Locale.ROOT, "Load average (1 min) at the start %.2f, at the end %.2f:"
                + " other work on the machine slows every figure", loadAtStart, systemLoad()));
        List<String> report = new ResultTable(header, summaries).lines();
        Path results = options.outputDirectory().resolve("results.txt");
        Files.createDirectories(results.getParent());
        Files.write(results, report, StandardCharsets.UTF_8);
        System.out.println();
        report.forEach(System.out::println);
        System.out.println();
        System.out.println("Written to " + results);
    }

    /**
     * One warm-up run of each mode, then {@code runs} rounds of baseline, sync and async in turn,
     * so that whatever else the machine does weighs on the three alike.
     */
    private static List<RunSummary> measure(BenchDatabase database, int runs, JobApiClient client, HeapProbe heap)
            throws Exception {
        progress(database.label() + ": warm-up (baseline, sync, async)");
        JdbcJsonBaseline.run(database);
        client.runSync(database.scenarioName());
        client.runAsync(database.scenarioName(), POLL_INTERVAL);
        List<Measurement> baseline = new ArrayList<>();
        List<Measurement> sync = new ArrayList<>();
        List<Measurement> async = new ArrayList<>();
        for (int round = 1; round <= runs; round++) {
            progress(database.label() + ": round " + round + " of " + runs + " (baseline, sync, async)");
            JdbcJsonBaseline.Run run = JdbcJsonBaseline.run(database);
            baseline.add(new Measurement(database.label(), Measurement.BASELINE, run.rows(), run.bytes(),
                    run.nanos(), null, null, 0, null, null, null));
            heap.resetPeaks();
            sync.add(serverMeasurement(database, "sync", client.runSync(database.scenarioName()), heap));
            heap.resetPeaks();
            async.add(serverMeasurement(database, "async", client.runAsync(database.scenarioName(), POLL_INTERVAL),
                    heap));
        }
        return List.of(new RunSummary(baseline), new RunSummary(sync), new RunSummary(async));
    }

    private static Measurement serverMeasurement(BenchDatabase database, String mode, JobApiClient.Run run,
                                                 HeapProbe heap) {
        return new Measurement(database.label(), mode, run.answer().records(), run.answer().bytes(),
                run.totalNanos(), run.job(), run.firstByteNanos(), run.polls(), heap.peakHeapBytes(),
                heap.peakOldGenBytes(), heap.maxHeapBytes());
    }

    private static List<String> header(BenchOptions options, BenchServer server, HeapProbe heap) {
        Runtime runtime = Runtime.getRuntime();
        return List.of(
                "Large result benchmark, " + DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                        ZonedDateTime.now(ZoneOffset.UTC).withNano(0).toLocalDateTime()) + " UTC",
                "Machine: " + runtime.availableProcessors() + " cores, " + System.getProperty("os.name") + " "
                        + System.getProperty("os.arch") + ", JDK " + System.getProperty("java.version")
                        + " (" + System.getProperty("java.vm.name") + ")",
                "Server: " + options.tomcatHome().getFileName() + " with " + options.war().getFileName()
                        + ", -Xmx" + options.serverHeap() + ", heap pools " + heap.poolNames()
                        + ", started in " + server.tomcat().startupDuration().toMillis() + " ms",
                "Result: " + String.format(Locale.ROOT, "%,d", BenchDatabase.ROWS) + " rows x "
                        + ExpectedRecords.COLUMNS.length + " columns " + String.join(", ", ExpectedRecords.COLUMNS)
                        + "; async polls every " + POLL_INTERVAL.toMillis() + " ms; one warm-up run of each mode, then "
                        + options.runs() + " rounds",
                "Baseline: JDBC + Jackson JsonGenerator in the benchmark JVM (-Xmx"
                        + runtime.maxMemory() / (1024 * 1024) + "m), fetch size " + JdbcJsonBaseline.FETCH_SIZE
                        + ", to a null stream");
    }

    private static double systemLoad() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static void progress(String message) {
        System.out.println("[bench] " + message);
        System.out.flush();
    }
}
