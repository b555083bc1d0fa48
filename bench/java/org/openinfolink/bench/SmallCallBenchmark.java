package org.openinfolink.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openinfolink.json.Json;
import org.openinfolink.testdb.DatabaseServer;

/**
 * Part {@code small}: small calls against bare servlets in the same Tomcat (issue 12, item 1).
 * For each job store of {@code bench.small.stores} (H2, the default DataSource; PostgreSQL, a
 * database of its own on the embedded server) one stock Tomcat ({@code -Xmx} of
 * {@code bench.tomcat.heap}) runs the server's WAR with otherwise default settings and, next to it,
 * the baseline webapp ({@link BaselineWebapp}). Two calls, each measured on the server and on its
 * baseline:
 *
 * <ol>
 *   <li>(a) {@code POST executeJob.jsp} with {@code "isAsync": false} of the scenario
 *       {@value #SCENARIO} (two rows from the app's H2 source); the baseline runs the same query on
 *       the request thread through its own DBCP2 pool on an equivalent H2 database and writes the
 *       same document with Jackson;</li>
 *   <li>(b) {@code GET getJobStatus.jsp} of a finished job of that scenario; the baseline checks the
 *       key the same way and writes the same status document from an in-memory map.</li>
 * </ol>
 *
 * Per call: a warm-up of {@code bench.small.warmupSeconds} on each side, then
 * {@code bench.small.rounds} rounds of server, baseline, each a window of
 * {@code bench.small.seconds} with {@code bench.small.clients} clients ({@link LoadGenerator},
 * {@link RawHttp}). Every answer is checked: HTTP 200, {@code success}, the two expected records
 * (and for (b) the job's id and {@code completed}); before the load, one answer of each side is
 * compared with the other's, key by key, so both write the same shape. Any error fails the part.
 */
final class SmallCallBenchmark {

    static final String SCENARIO = "TwoRows";
    static final String RESULT_NAME = "two";
    static final String QUERY = "SELECT \"X\" AS id, CONCAT('row-', \"X\") AS label FROM SYSTEM_RANGE(1, 2)";
    static final String SYNC_CALL = "(a) executeJob.jsp sync, 2 rows";
    static final String STATUS_CALL = "(b) getJobStatus.jsp, finished job";
    static final String STEP_TITLE = "two rows";
    static final String STATUS_JOB_ID = "small-status-1";

    /** Issue 12's goals. */
    static final double SYNC_GOAL = 0.7;
    static final double STATUS_GOAL = 0.8;
    static final double STATUS_P99_BOUND = 2.0;

    private static final String API_KEY_HEADER = "X-API-Key";
    private static final Duration IDLE_PROBE = Duration.ofSeconds(2);

    /** The server's defaults written out (a fresh install's infolink.yaml). */
    private static final String SETTINGS = """
            jobs:
              maxConcurrent: 4
            """;

    private static final String APP_YAML = """
            name: Benchmark
            description: Small calls; every source is the default (H2)
            """;

    private static final String SCENARIO_YAML = """
            description: Two rows computed by the app's H2 source
            steps:
              - opName: Transform
                title: %s
                opParams:
                  query: %s
                  returnResult: true
                  resultName: %s
            """.formatted(STEP_TITLE, BenchServer.yamlString(QUERY), RESULT_NAME);

    private static final JsonNode EXPECTED_RECORDS = parse(
            "[{\"id\": 1, \"label\": \"row-1\"}, {\"id\": 2, \"label\": \"row-2\"}]");

    /** One side of one call: where it goes and how its answer is checked. */
    private interface Side {
        /** Makes the call and checks the answer; throws when it is wrong. */
        void call() throws Exception;
    }

    /** The measured windows of one side of one call. */
    private record Windows(String call, String side, List<LoadGenerator.Outcome> rounds, List<Duration> cpu) {

        int succeeded() {
            return rounds.stream().mapToInt(LoadGenerator.Outcome::succeeded).sum();
        }

        int errors() {
            return rounds.stream().mapToInt(LoadGenerator.Outcome::errors).sum();
        }

        double perSecond() {
            return succeeded() / (rounds.stream().mapToLong(LoadGenerator.Outcome::elapsedNanos).sum() / 1e9);
        }

        double minPerSecond() {
            return rounds.stream().mapToDouble(LoadGenerator.Outcome::perSecond).min().orElse(0);
        }

        double maxPerSecond() {
            return rounds.stream().mapToDouble(LoadGenerator.Outcome::perSecond).max().orElse(0);
        }

        Latencies latencies() {
            return Latencies.of(rounds.stream().flatMapToLong(o -> java.util.Arrays.stream(o.nanos()))
                    .filter(n -> n >= 0).toArray());
        }

        /** Tomcat's CPU time per successful call, in microseconds. */
        double cpuMicrosPerCall() {
            long nanos = cpu.stream().mapToLong(Duration::toNanos).sum();
            return nanos / 1e3 / Math.max(1, succeeded());
        }

        List<String> errorSamples() {
            return rounds.stream().flatMap(o -> o.errorSamples().stream()).limit(5).toList();
        }
    }

    private SmallCallBenchmark() {
    }

    /** The measured calls on one server (one job store) and the line that names it. */
    private record StoreRun(String store, String serverLine, List<Windows> windows, double idleCpuMillisPerSecond) {
    }

    static List<String> run(BenchOptions options, DatabaseServer postgresql) throws Exception {
        List<StoreRun> runs = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%d clients, each window %d s, %d round(s) of server then baseline per"
                        + " call after a warm-up of %d s on each side; scenario %s: %s", options.smallClients(),
                options.smallSeconds(), options.smallRounds(), options.smallWarmupSeconds(), SCENARIO, QUERY));
        try {
            for (BenchOptions.SmallStore store : options.smallStores()) {
                runs.add(runOn(options, store, postgresql));
            }
        } catch (Exception e) {
            // the stores measured before the failure stay in the report
            addTable(lines, runs);
            throw new BenchReport.PartFailed(lines, e.toString());
        }
        addTable(lines, runs);
        int errors = runs.stream().flatMap(run -> run.windows().stream()).mapToInt(Windows::errors).sum();
        if (errors > 0) {
            List<String> samples = runs.stream().flatMap(run -> run.windows().stream())
                    .flatMap(w -> w.errorSamples().stream()).limit(5).toList();
            throw new BenchReport.PartFailed(lines, errors + " calls failed; the first: " + String.join(" | ", samples));
        }
        return lines;
    }

    private static StoreRun runOn(BenchOptions options, BenchOptions.SmallStore store, DatabaseServer postgresql)
            throws Exception {
        String settings = SETTINGS;
        String storeText = "H2 (the default: no store:, the default DataSource jdbc/infolink)";
        if (store == BenchOptions.SmallStore.POSTGRESQL) {
            settings += BenchServer.storeYaml(postgresql.createDatabase("bench_small_store"),
                    JobStoreBenchmark.STORE_POOL_MAX_TOTAL);
            storeText = "PostgreSQL (store: in infolink.yaml, a database of its own, pool "
                    + JobStoreBenchmark.STORE_POOL_MAX_TOTAL + ")";
        }
        Benchmarks.progress("small: starting Tomcat with " + options.heapFlags() + ", job store " + store.label()
                + ", and the baseline webapp next to it");
        try (BenchServer server = BenchServer.start(options, "small-" + store.propertyValue(), settings, APP_YAML,
                Map.of(SCENARIO, SCENARIO_YAML))) {
            try {
                long deployStart = System.nanoTime();
                URI baseline = BaselineWebapp.deploy(options, server.tomcat(), sha256Hex(server.apiKey()),
                        BenchServer.APP_ID, SCENARIO, RESULT_NAME, QUERY, STEP_TITLE, STATUS_JOB_ID);
                long deployMillis = (System.nanoTime() - deployStart) / 1_000_000;
                String serverLine = "Job store " + store.label() + ": one Tomcat (" + options.tomcatHome().getFileName()
                        + ", " + options.heapFlags() + ") with " + options.war().getFileName() + " at /infolink,"
                        + " job store " + storeText + ", otherwise the defaults, and the baseline at /"
                        + BaselineWebapp.CONTEXT + "; started in " + server.tomcat().startupDuration().toMillis()
                        + " ms, baseline deployed in " + deployMillis + " ms";
                // what the idle Tomcat (heartbeat, dispatcher, retention, GC) spends, which every window's CPU includes
                Duration idleBefore = server.cpuTime();
                server.tomcat().pauseWhileRunning(IDLE_PROBE);
                double idle = server.cpuTime().minus(idleBefore).toNanos() / 1e6 / (IDLE_PROBE.toMillis() / 1e3);
                return new StoreRun(store.label(), serverLine, measure(options, server, baseline, store.label()), idle);
            } catch (Exception | Error e) {
                System.err.println("The small part failed; the server's log is " + server.tomcat().catalinaOut());
                throw e;
            } finally {
                Benchmarks.progress("small: stopping Tomcat");
            }
        }
    }

    private static List<Windows> measure(BenchOptions options, BenchServer server, URI baseline, String store)
            throws Exception {
        URI serverRoot = URI.create(server.tomcat().baseUrl());
        RawHttp http = new RawHttp();
        Map<String, String> postHeaders = Map.of(API_KEY_HEADER, server.apiKey(), "Content-Type", "application/json");
        Map<String, String> getHeaders = Map.of(API_KEY_HEADER, server.apiKey());
        byte[] syncBody = syncBody(null);
        URI serverExecute = URI.create(serverRoot + "/api/v1/executeJob.jsp");

        // the finished job whose status (b) reads: run once on the server, kept by the baseline since its start
        JsonNode first = checkSync(http.post(serverExecute, postHeaders, syncBody(STATUS_JOB_ID)), "server");
        if (!STATUS_JOB_ID.equals(first.path("result").path("jobId").asText())) {
            throw new IllegalStateException("the server ran the status job under another id: " + first);
        }
        URI baselineExecute = URI.create(baseline + "/api/v1/executeJob.jsp");
        String statusQuery = "/api/v1/getJobStatus.jsp?appId=" + BenchServer.APP_ID + "&jobId=" + STATUS_JOB_ID;
        URI serverStatus = URI.create(serverRoot + statusQuery);
        URI baselineStatus = URI.create(baseline + statusQuery);

        // both sides write the same documents: same keys in the same order, same kinds of value, same schema and records
        sameShape("executeJob.jsp sync", checkSync(http.post(serverExecute, postHeaders, syncBody), "server"),
                checkSync(http.post(baselineExecute, postHeaders, syncBody), "baseline"));
        sameShape("getJobStatus.jsp", checkStatus(http.get(serverStatus, getHeaders), "server"),
                checkStatus(http.get(baselineStatus, getHeaders), "baseline"));

        List<Windows> measured = new ArrayList<>();
        measured.addAll(measureCall(options, server, store, SYNC_CALL,
                () -> checkSync(http.post(serverExecute, postHeaders, syncBody), "server"),
                () -> checkSync(http.post(baselineExecute, postHeaders, syncBody), "baseline")));
        measured.addAll(measureCall(options, server, store, STATUS_CALL,
                () -> checkStatus(http.get(serverStatus, getHeaders), "server"),
                () -> checkStatus(http.get(baselineStatus, getHeaders), "baseline")));
        return measured;
    }

    private static void addTable(List<String> lines, List<StoreRun> runs) {
        runs.forEach(run -> lines.add(run.serverLine()));
        if (!runs.isEmpty()) {
            lines.add("");
            lines.addAll(table(runs));
        }
    }

    private static List<String> table(List<StoreRun> runs) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-36s  %-10s  %-8s  %9s  %8s  %15s  %8s  %8s  %8s  %9s  %6s",
                "call", "job store", "side", "calls", "req/s", "req/s range", "p50", "p99", "max", "CPU/call",
                "errors"));
        for (StoreRun run : runs) {
            for (Windows windows : run.windows()) {
                Latencies latencies = windows.latencies();
                lines.add(String.format(Locale.ROOT, "%-36s  %-10s  %-8s  %,9d  %,8.0f  %15s  %8s  %8s  %8s  %9s  %6d",
                        windows.call(), run.store(), windows.side(), windows.succeeded(), windows.perSecond(),
                        String.format(Locale.ROOT, "%,.0f-%,.0f", windows.minPerSecond(), windows.maxPerSecond()),
                        Latencies.millis(latencies.p50()), Latencies.millis(latencies.p99()),
                        Latencies.millis(latencies.max()), String.format(Locale.ROOT, "%.0f us",
                                windows.cpuMicrosPerCall()), windows.errors()));
            }
        }
        lines.add("");
        for (StoreRun run : runs) {
            List<Windows> w = run.windows();
            lines.add(verdict(run.store(), w.get(0), w.get(1), SYNC_GOAL, null));
            lines.add(verdict(run.store(), w.get(2), w.get(3), STATUS_GOAL, STATUS_P99_BOUND));
        }
        for (StoreRun run : runs) {
            lines.add(String.format(Locale.ROOT, "Idle Tomcat with the job store on %s, before the load: %.0f ms CPU"
                    + " per s", run.store(), run.idleCpuMillisPerSecond()));
        }
        lines.add("(c) async submissions per second: not measured here; see the part submit (PostgreSQL store).");
        lines.add("Latency: from sending the request to the last byte of the answer, read and checked. CPU/call: the"
                + " Tomcat process's CPU time during that side's windows over its calls answered (both sides share"
                + " the JVM: its background work, GC and the server's own threads count for whichever side runs).");
        return lines;
    }

    /** Warm-up of each side, then the rounds, server first in each. */
    private static List<Windows> measureCall(BenchOptions options, BenchServer server, String store, String call,
                                             Side onServer, Side onBaseline) throws Exception {
        int clients = options.smallClients();
        if (options.smallWarmupSeconds() > 0) {
            for (Side side : List.of(onServer, onBaseline)) {
                LoadGenerator.Outcome warmUp = LoadGenerator.forDuration("small-warmup", clients,
                        Duration.ofSeconds(options.smallWarmupSeconds()), (client, number) -> side.call());
                if (warmUp.errors() > 0) {
                    throw new IllegalStateException(call + ": " + warmUp.errors() + " of " + warmUp.calls()
                            + " calls of the warm-up failed; the first: " + String.join(" | ", warmUp.errorSamples()));
                }
            }
        }
        List<LoadGenerator.Outcome> serverRounds = new ArrayList<>();
        List<LoadGenerator.Outcome> baselineRounds = new ArrayList<>();
        List<Duration> serverCpu = new ArrayList<>();
        List<Duration> baselineCpu = new ArrayList<>();
        Duration window = Duration.ofSeconds(options.smallSeconds());
        for (int round = 1; round <= options.smallRounds(); round++) {
            Benchmarks.progress("small: " + call + " (job store " + store + "), round " + round + " of "
                    + options.smallRounds());
            Duration before = server.cpuTime();
            serverRounds.add(LoadGenerator.forDuration("small-server", clients, window,
                    (client, number) -> onServer.call()));
            Duration middle = server.cpuTime();
            baselineRounds.add(LoadGenerator.forDuration("small-baseline", clients, window,
                    (client, number) -> onBaseline.call()));
            Duration after = server.cpuTime();
            serverCpu.add(middle.minus(before));
            baselineCpu.add(after.minus(middle));
        }
        return List.of(new Windows(call, "server", serverRounds, serverCpu),
                new Windows(call, "baseline", baselineRounds, baselineCpu));
    }

    private static String verdict(String store, Windows server, Windows baseline, double goal, Double p99Bound) {
        double ratio = server.perSecond() / baseline.perSecond();
        double p99Ratio = server.latencies().p99() / (double) baseline.latencies().p99();
        boolean met = ratio >= goal && (p99Bound == null || p99Ratio <= p99Bound);
        return String.format(Locale.ROOT, "%s, job store %s: server/baseline req/s %.2f (goal >= %.1f), p99/p99"
                        + " %.2f%s: %s", server.call(), store, ratio, goal, p99Ratio, p99Bound == null ? "" : String.format(Locale.ROOT,
                        " (goal <= %.1f)", p99Bound), met ? "goal met" : "goal NOT met");
    }

    /** Checks a sync answer: 200, success, one result set with the two records, a job id; returns the document. */
    private static JsonNode checkSync(RawHttp.Response response, String side) throws IOException {
        JsonNode envelope = envelope(response, side + " executeJob.jsp");
        JsonNode result = envelope.path("result");
        JsonNode results = result.path("results");
        if (results.size() != 1 || !RESULT_NAME.equals(results.path(0).path("name").asText())
                || !EXPECTED_RECORDS.equals(results.path(0).path("result").path("records"))
                || results.path(0).path("result").path("schema").size() != 2
                || result.path("jobId").asText("").isEmpty()) {
            throw new IllegalStateException(side + " executeJob.jsp answered another result: " + envelope);
        }
        return envelope;
    }

    /** Checks a status answer: 200, success, the job completed with the two records; returns the document. */
    private static JsonNode checkStatus(RawHttp.Response response, String side) throws IOException {
        JsonNode envelope = envelope(response, side + " getJobStatus.jsp");
        JsonNode result = envelope.path("result");
        JsonNode results = result.path("results");
        if (!"completed".equals(result.path("status").asText()) || !STATUS_JOB_ID.equals(result.path("jobId").asText())
                || results.size() != 1 || !EXPECTED_RECORDS.equals(results.path(0).path("result").path("records"))) {
            throw new IllegalStateException(side + " getJobStatus.jsp answered another job: " + envelope);
        }
        return envelope;
    }

    private static JsonNode envelope(RawHttp.Response response, String what) throws IOException {
        String text = response.text();
        if (response.status() != 200) {
            throw new IllegalStateException(what + " answered HTTP " + response.status() + ": " + text);
        }
        JsonNode envelope = Json.mapper().readTree(text);
        if (!"success".equals(envelope.path("status").asText(null))) {
            throw new IllegalStateException(what + " answered " + text);
        }
        return envelope;
    }

    /**
     * Fails unless both documents have the same keys in the same order and the same kind of value
     * everywhere, and the same schema and records; ids and times may differ.
     */
    private static void sameShape(String what, JsonNode server, JsonNode baseline) {
        String difference = difference("", server, baseline);
        if (difference != null) {
            throw new IllegalStateException(what + ": the baseline's answer differs from the server's at " + difference
                    + "\n server:   " + server + "\n baseline: " + baseline);
        }
        JsonNode serverSet = server.path("result").path("results").path(0).path("result");
        JsonNode baselineSet = baseline.path("result").path("results").path(0).path("result");
        if (!serverSet.equals(baselineSet)) {
            throw new IllegalStateException(what + ": the baseline's result set (schema, records) differs from the"
                    + " server's\n server:   " + serverSet + "\n baseline: " + baselineSet);
        }
    }

    private static String difference(String path, JsonNode a, JsonNode b) {
        if (a.getNodeType() != b.getNodeType()) {
            return path + " (" + a.getNodeType() + " vs " + b.getNodeType() + ")";
        }
        if (a.isObject()) {
            List<String> aNames = new ArrayList<>();
            a.fieldNames().forEachRemaining(aNames::add);
            List<String> bNames = new ArrayList<>();
            b.fieldNames().forEachRemaining(bNames::add);
            if (!aNames.equals(bNames)) {
                return path + " (keys " + aNames + " vs " + bNames + ")";
            }
            for (String name : aNames) {
                String inner = difference(path + "/" + name, a.get(name), b.get(name));
                if (inner != null) {
                    return inner;
                }
            }
        } else if (a.isArray()) {
            if (a.size() != b.size()) {
                return path + " (" + a.size() + " vs " + b.size() + " elements)";
            }
            Iterator<JsonNode> left = a.elements();
            Iterator<JsonNode> right = b.elements();
            for (int i = 0; left.hasNext(); i++) {
                String inner = difference(path + "/" + i, left.next(), right.next());
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }

    private static byte[] syncBody(String jobId) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("appId", BenchServer.APP_ID);
        ObjectNode operation = body.putObject("operation");
        operation.put("opName", "RunScenario");
        operation.putObject("opParams").put("scenario", SCENARIO).putObject("parameters");
        body.put("isAsync", false);
        if (jobId != null) {
            body.put("jobId", jobId);
        }
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256Hex(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                    key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
