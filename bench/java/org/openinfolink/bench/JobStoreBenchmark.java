package org.openinfolink.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openinfolink.testdb.DatabaseServer;

/**
 * The parts {@code submit} ({@link SubmissionLoad}) and {@code poll} ({@link LookupLatency}), on
 * one server whose job store is a PostgreSQL database of its own on the embedded server
 * ({@code store:} in {@code infolink.yaml}). The settings let every job stay: {@code jobs.maxQueued}
 * at its maximum, so a burst of submissions is never refused, and retention
 * ({@code jobs.keepFinished}, {@code jobs.keepFinishedMinutes}) at its maximum, so neither the
 * submitted nor the seeded jobs are purged while they are counted and read. Everything else is
 * the default: {@code jobs.maxConcurrent} 4, the store pool's {@value #STORE_POOL_MAX_TOTAL}
 * connections.
 */
final class JobStoreBenchmark {

    /** The scenario the load generator submits. */
    static final String TINY = "Tiny";

    /** {@link #TINY}: one row computed by the app's H2 source, one result set. */
    static final String TINY_YAML = """
            description: One row computed by the app's H2 source
            steps:
              - opName: Transform
                title: one row
                opParams:
                  query: SELECT 1 AS x
                  returnResult: true
                  resultName: one
            """;

    /** The store pool's most connections: the server's default for a store of its own, written out. */
    static final int STORE_POOL_MAX_TOTAL = 24;

    private static final String SETTINGS = """
            jobs:
              maxQueued: 1000000
              keepFinished: 10000000
              keepFinishedMinutes: 525600
            """;

    private JobStoreBenchmark() {
    }

    /**
     * Starts the server, runs the selected parts in order, stops the server.
     *
     * @param report receives each part's report as soon as it is made, the title first
     */
    static void run(BenchOptions options, DatabaseServer postgresql, BenchReport report) throws Exception {
        DatabaseServer store = postgresql.createDatabase("bench_jobs_store");
        Benchmarks.progress("job store: starting Tomcat with " + options.heapFlags()
                + ", job store on PostgreSQL");
        try (BenchServer server = BenchServer.start(options, "jobs", SETTINGS + BenchServer.storeYaml(store,
                STORE_POOL_MAX_TOTAL), APP_YAML, scenarios())) {
            JobStoreApi api = new JobStoreApi(server.tomcat(), server.apiKey(), BenchServer.APP_ID);
            String serverLine = "Server " + server.name() + ": " + options.tomcatHome().getFileName() + " with "
                    + options.war().getFileName() + ", " + options.heapFlags() + ", started in "
                    + server.tomcat().startupDuration().toMillis() + " ms; job store PostgreSQL (store: in"
                    + " infolink.yaml, a database of its own), settings " + SETTINGS.strip().replace("\n", "")
                    .replaceAll(" +", " ");
            try {
                if (options.includes(BenchOptions.Part.SUBMIT)) {
                    report.part("submit: async submissions per second, PostgreSQL job store", () -> {
                        List<String> lines = new ArrayList<>(List.of(serverLine));
                        lines.addAll(SubmissionLoad.run(options, server, api, store));
                        return lines;
                    });
                }
                if (options.includes(BenchOptions.Part.POLL)) {
                    report.part("poll: getJobStatus and getJobs with many jobs, PostgreSQL job store", () -> {
                        List<String> lines = new ArrayList<>(List.of(serverLine));
                        lines.addAll(LookupLatency.run(options, server, api, store));
                        return lines;
                    });
                }
            } catch (Exception | Error e) {
                System.err.println("A job-store part failed; the server's log is " + server.tomcat().catalinaOut());
                throw e;
            }
            Benchmarks.progress("job store: stopping Tomcat");
        }
    }

    private static final String APP_YAML = """
            name: Benchmark
            description: Many small jobs in a PostgreSQL job store; every source is the default (H2)
            """;

    private static Map<String, String> scenarios() {
        Map<String, String> scenarios = new LinkedHashMap<>();
        scenarios.put(TINY, TINY_YAML);
        scenarios.put(JobSeeder.SMALL, """
                description: A result set of three records (a template of the seeded jobs)
                steps:
                  - opName: Transform
                    title: three rows
                    opParams:
                      query: SELECT "X" AS n, CONCAT('row-', "X") AS label FROM SYSTEM_RANGE(1, 3)
                      returnResult: true
                      resultName: rows
                """);
        for (String name : List.of(JobSeeder.MARK, JobSeeder.RARE)) {
            scenarios.put(name, """
                    description: Sets an app variable and returns nothing (a template of the seeded jobs)
                    steps:
                      - opName: SetVariable
                        title: mark
                        opParams: {name: lastMark, value: "${jobId}"}
                    """);
        }
        return scenarios;
    }
}
