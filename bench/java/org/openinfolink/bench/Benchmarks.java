package org.openinfolink.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.openinfolink.testdb.DatabaseServer;
import org.openinfolink.testdb.TestDatabase;

/**
 * The benchmark (not a test), run by {@code mvn -Pbench package} (see {@code bench/README.md}):
 * the parts chosen by {@code bench.parts}, in this order:
 *
 * <ol>
 *   <li>{@code large} ({@link LargeResultBenchmark}): a large result through the job store, sync
 *       and async, against a bare JDBC-to-Jackson loop, on H2 and PostgreSQL;</li>
 *   <li>{@code submit} ({@link SubmissionLoad}): async submissions per second on a PostgreSQL
 *       store, against the goal of 1,000 per second;</li>
 *   <li>{@code poll} ({@link LookupLatency}): getJobStatus and getJobs latency with 1,000,000
 *       jobs in a PostgreSQL store, against the goal of a p95 under 50 ms;</li>
 *   <li>{@code cluster} ({@link ClusterBenchmark}): jobs completed per second on 1, 2 and 3 nodes
 *       sharing one PostgreSQL store, and the time from a node's death to its jobs' resolution;</li>
 *   <li>{@code small} ({@link SmallCallBenchmark}): a two-row sync executeJob and a getJobStatus of a
 *       finished job, each against a bare servlet in the same Tomcat, with the job store on H2 and on
 *       PostgreSQL.</li>
 * </ol>
 *
 * Every server runs in its own JVM ({@link BenchServer}) and is stopped before the next part;
 * PostgreSQL is the embedded one of the tests, whose shutdown hook stops it when this JVM ends.
 * The report is printed and written to {@code <output>/results.txt} ({@link BenchReport}).
 * Exits non-zero when any part fails or any answer is wrong.
 */
public final class Benchmarks {

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.fromSystemProperties();
        double loadAtStart = systemLoad();
        BenchReport report = new BenchReport(options.outputDirectory().resolve("results.txt"), header(options));
        progress("Parts: " + options.parts().stream().sorted().map(BenchOptions.Part::propertyValue)
                .collect(Collectors.joining(", ")) + "; starting embedded PostgreSQL");
        DatabaseServer postgresql = TestDatabase.POSTGRESQL.server();
        try {
            if (options.includes(BenchOptions.Part.LARGE)) {
                report.part("large: " + String.format(Locale.ROOT, "%,d", options.rows()) + " rows through the job"
                        + " store, sync and async, against a bare JDBC-to-Jackson loop",
                        () -> LargeResultBenchmark.run(options, postgresql));
            }
            if (options.includes(BenchOptions.Part.SUBMIT) || options.includes(BenchOptions.Part.POLL)) {
                JobStoreBenchmark.run(options, postgresql, report);
            }
            if (options.includes(BenchOptions.Part.CLUSTER)) {
                report.part("cluster: jobs completed per second on 1, 2 and 3 nodes sharing one PostgreSQL job"
                        + " store, and a node killed", () -> ClusterBenchmark.run(options, postgresql));
            }
            if (options.includes(BenchOptions.Part.SMALL)) {
                report.part("small: small sync and status calls against bare servlets in the same Tomcat",
                        () -> SmallCallBenchmark.run(options, postgresql));
            }
        } finally {
            report.finish(List.of(String.format(Locale.ROOT, "Load average (1 min) at the start %.2f, at the end"
                    + " %.2f: other work on the machine slows every figure", loadAtStart, systemLoad())));
        }
        System.out.println("Written to " + report.file());
    }

    private static List<String> header(BenchOptions options) {
        Runtime runtime = Runtime.getRuntime();
        return List.of(
                "InfoLink benchmark, " + DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                        ZonedDateTime.now(ZoneOffset.UTC).withNano(0).toLocalDateTime()) + " UTC; parts "
                        + options.parts().stream().sorted().map(BenchOptions.Part::propertyValue)
                        .collect(Collectors.joining(", ")),
                "Machine: " + runtime.availableProcessors() + " cores, " + System.getProperty("os.name") + " "
                        + System.getProperty("os.arch") + ", JDK " + System.getProperty("java.version")
                        + " (" + System.getProperty("java.vm.name") + "); every server " + options.heapFlags()
                        + "; the embedded PostgreSQL (zonky) serves every PostgreSQL database");
    }

    static double systemLoad() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** The CPU time this JVM (the baseline, the clients) has used so far. */
    static Duration ownCpuTime() {
        return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    static void progress(String message) {
        System.out.println("[bench] " + message);
        System.out.flush();
    }
}
