package org.openinfolink.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.openinfolink.json.Json;
import org.openinfolink.testdb.DatabaseServer;
import org.openinfolink.testsupport.TestHome;

/**
 * Part {@code cluster}: jobs completed per second with 1, 2 and 3 nodes (stock Tomcats) sharing
 * one configuration home and one PostgreSQL job store (a fresh database per node count), and the
 * time from a node's death (SIGKILL while it runs jobs) to the resolution of its jobs.
 *
 * <p>Per node count, {@code bench.submit.clients} clients submit async jobs of the scenario
 * {@value JobStoreBenchmark#TINY}, round-robin over the nodes, for a warm-up of
 * {@value #WARMUP_SECONDS} s, then (once the store holds no unfinished job) for the measured window
 * of {@code bench.submit.seconds}; after it the part waits until every job has finished and reads
 * from {@code il_job}: the jobs of the window, their states, the first {@code submitted_at} and the
 * last {@code finished_at}. Jobs per second are the completed jobs over that span. Every accepted
 * job must be {@code completed} and every submission answered.
 *
 * <p>Then, on the three nodes, a window of load during which one node is killed: the time runs
 * from the kill to the moment the store (polled every {@value #RESOLVE_POLL_MILLIS} ms) holds no
 * job {@code running} or {@code stopping} on it. A job of {@value JobStoreBenchmark#TINY} takes a
 * millisecond, so the node's jobs seen running just before the kill were often done when it came:
 * {@value #HOLD_JOBS} jobs of {@value #HOLD} (a sum over a long range, some seconds) are
 * submitted round-robin {@code KILL_AFTER} into the window, and the node is killed once one of
 * them runs on it. Its jobs must end {@code stopped} with the
 * server's interruption message; every other job {@code completed}. Only submissions to the
 * killed node may fail, and only from the kill on.
 */
final class ClusterBenchmark {

    static final int HEARTBEAT_SECONDS = 2;
    static final int NODE_TIMEOUT_SECONDS = 10;
    static final int MAX_NODES = 3;
    private static final int WARMUP_SECONDS = 3;
    private static final long RESOLVE_POLL_MILLIS = 100;
    private static final Duration KILL_AFTER = Duration.ofSeconds(3);
    /** A scenario that runs for some seconds, so that the killed node surely has a job running. */
    static final String HOLD = "Hold";
    private static final String HOLD_YAML = """
            description: A sum over a long range, some seconds of the app's H2 source
            steps:
              - opName: Transform
                title: a long sum
                opParams:
                  query: SELECT SUM("X") AS total FROM SYSTEM_RANGE(1, 100000000)
                  returnResult: true
                  resultName: total
            """;
    private static final int HOLD_JOBS = 6;
    private static final Duration RESOLVE_TIMEOUT = Duration.ofSeconds(NODE_TIMEOUT_SECONDS + HEARTBEAT_SECONDS + 60);

    private static final String SETTINGS = """
            jobs:
              maxQueued: 1000000
              keepFinished: 10000000
              keepFinishedMinutes: 525600
            """;

    private static final String WINDOW_FIGURES = "SELECT state, COUNT(*), MIN(submitted_at), MAX(finished_at)"
            + " FROM il_job WHERE job_id LIKE ? GROUP BY state";
    private static final String RUNNING_ON = "SELECT COUNT(*) FROM il_job WHERE node_id = ? AND state IN"
            + " ('running', 'stopping')";
    private static final String HOLDING_ON = RUNNING_ON + " AND scenario = '" + HOLD + "'";
    private static final String WRONG_ENDINGS = "SELECT job_id, state, node_id, message FROM il_job"
            + " WHERE job_id LIKE ? AND NOT (state = 'completed' OR (state = 'stopped' AND node_id = ?"
            + " AND message = ?)) ORDER BY seq LIMIT 5";
    private static final String STOPPED_OF = "SELECT COUNT(*) FROM il_job WHERE job_id LIKE ? AND state = 'stopped'";

    private ClusterBenchmark() {
    }

    /** One measured window: what the clients saw and what the store holds. */
    private record Window(int nodes, int accepted, int errors, Map<String, Long> states, long firstSubmitted,
                          long lastFinished) {

        long completed() {
            return states.getOrDefault("completed", 0L);
        }

        double jobsPerSecond() {
            return completed() / ((lastFinished - firstSubmitted) / 1000.0);
        }
    }

    static List<String> run(BenchOptions options, DatabaseServer postgresql) throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "Nodes: stock Tomcats with %s sharing one home and one PostgreSQL"
                        + " job store (a fresh database per node count); store.heartbeatSeconds %d,"
                        + " store.nodeTimeoutSeconds %d (the defaults, written out), jobs.maxConcurrent 4 per node;"
                        + " %d clients submit %s round-robin over the nodes, %d s warm-up, %d s window; machine: %d"
                        + " cores", options.heapFlags(), HEARTBEAT_SECONDS, NODE_TIMEOUT_SECONDS,
                options.submitClients(), JobStoreBenchmark.TINY, WARMUP_SECONDS, options.submitSeconds(),
                Runtime.getRuntime().availableProcessors()));
        lines.add("");
        lines.add(String.format(Locale.ROOT, "%-5s  %8s  %9s  %8s  %10s  %6s", "nodes", "accepted", "completed",
                "jobs/s", "vs 1 node", "errors"));
        List<Window> windows = new ArrayList<>();
        try {
            for (int nodes = 1; nodes <= MAX_NODES; nodes++) {
                DatabaseServer store = postgresql.createDatabase("bench_cluster_" + nodes);
                List<BenchServer> servers = startNodes(options, nodes, store);
                try {
                    JobStoreApi[] apis = apis(servers);
                    Window window = measure(options, nodes, servers, apis, store);
                    windows.add(window);
                    lines.add(row(window, windows.get(0)));
                    if (window.errors() > 0 || window.completed() != window.accepted() || window.states().size() != 1) {
                        throw new BenchReport.PartFailed(lines, nodes + " node(s): " + window.accepted()
                                + " jobs accepted, " + window.errors() + " submissions failed, the store holds "
                                + window.states());
                    }
                    if (nodes == MAX_NODES) {
                        lines.add("");
                        lines.addAll(killOne(options, servers, apis, store));
                    }
                } finally {
                    Benchmarks.progress("cluster: stopping " + nodes + " node(s)");
                    servers.forEach(BenchServer::close);
                }
            }
        } catch (BenchReport.PartFailed e) {
            throw e;
        } catch (Exception e) {
            throw new BenchReport.PartFailed(lines, e.toString());
        }
        lines.add("");
        lines.add("jobs/s: completed jobs of the window / (last finished_at - first submitted_at), from il_job;"
                + " the clients, every node and PostgreSQL share the machine's cores.");
        return lines;
    }

    private static String row(Window window, Window oneNode) {
        return String.format(Locale.ROOT, "%-5d  %,8d  %,9d  %,8.0f  %10.2f  %6d", window.nodes(), window.accepted(),
                window.completed(), window.jobsPerSecond(), window.jobsPerSecond() / oneNode.jobsPerSecond(),
                window.errors());
    }

    private static List<BenchServer> startNodes(BenchOptions options, int nodes, DatabaseServer store)
            throws Exception {
        TestHome home = TestHome.create("bench-cluster-" + nodes).settings(SETTINGS
                + BenchServer.storeYaml(store, JobStoreBenchmark.STORE_POOL_MAX_TOTAL)
                + "  heartbeatSeconds: " + HEARTBEAT_SECONDS + "\n"
                + "  nodeTimeoutSeconds: " + NODE_TIMEOUT_SECONDS + "\n");
        String apiKey = home.client("bench", List.of(BenchServer.APP_ID), null);
        home.app(BenchServer.APP_ID, """
                name: Benchmark
                description: Many small jobs on several nodes; every source is the default (H2)
                """);
        home.scenario(BenchServer.APP_ID, JobStoreBenchmark.TINY, JobStoreBenchmark.TINY_YAML);
        home.scenario(BenchServer.APP_ID, HOLD, HOLD_YAML);
        List<BenchServer> servers = new ArrayList<>();
        try {
            for (int node = 1; node <= nodes; node++) {
                Benchmarks.progress("cluster: starting node " + node + " of " + nodes);
                servers.add(BenchServer.start(options, "cluster" + nodes + "-" + node, home, apiKey));
            }
        } catch (Exception | Error e) {
            servers.forEach(BenchServer::close);
            throw e;
        }
        return servers;
    }

    private static JobStoreApi[] apis(List<BenchServer> servers) {
        JobStoreApi[] apis = new JobStoreApi[servers.size()];
        for (int i = 0; i < apis.length; i++) {
            apis[i] = new JobStoreApi(servers.get(i).tomcat(), servers.get(i).apiKey(), BenchServer.APP_ID);
        }
        return apis;
    }

    private static Window measure(BenchOptions options, int nodes, List<BenchServer> servers, JobStoreApi[] apis,
                                  DatabaseServer store) throws Exception {
        int clients = options.submitClients();
        String prefix = "cl" + nodes + "-";
        LoadGenerator.Outcome first = LoadGenerator.forCount("cluster", clients, clients * nodes,
                (client, number) -> apis[number % nodes].execute(JobStoreBenchmark.TINY, prefix + "f-" + number, true));
        requireNoErrors(first);
        Benchmarks.progress("cluster: " + nodes + " node(s), warm-up " + WARMUP_SECONDS + " s");
        requireNoErrors(roundRobin(apis, prefix + "w-", clients, Duration.ofSeconds(WARMUP_SECONDS), -1, null));
        SubmissionLoad.awaitDrained(store, servers.get(0));
        Benchmarks.progress("cluster: " + nodes + " node(s), measuring " + options.submitSeconds() + " s");
        LoadGenerator.Outcome outcome = roundRobin(apis, prefix + "m-", clients,
                Duration.ofSeconds(options.submitSeconds()), -1, null);
        SubmissionLoad.awaitDrained(store, servers.get(0));
        return window(store, nodes, prefix + "m-%", outcome.succeeded(), outcome.errors());
    }

    /**
     * Clients call the nodes in turn; after {@code dead} has been set, the node {@code victim} is
     * skipped, and a failed call to it counts in {@code refused} instead of as an error.
     */
    private static LoadGenerator.Outcome roundRobin(JobStoreApi[] apis, String prefix, int clients,
                                                    Duration duration, int victim, AtomicReference<Counter> dead)
            throws InterruptedException {
        return LoadGenerator.forDuration("cluster", clients, duration, (client, number) -> {
            int node = (client + number) % apis.length;
            Counter refused = dead == null ? null : dead.get();
            if (node == victim && refused != null) {
                node = (node + 1) % apis.length;
            }
            String jobId = prefix + client + "-" + number;
            try {
                apis[node].execute(JobStoreBenchmark.TINY, jobId, true);
            } catch (Exception e) {
                Counter killed = dead == null ? null : dead.get();
                if (node == victim && killed != null) {
                    killed.refused.incrementAndGet();
                    return;
                }
                throw e;
            }
        });
    }

    /** Submissions to the killed node that failed from the kill on. */
    private static final class Counter {
        final AtomicInteger refused = new AtomicInteger();
    }

    private static List<String> killOne(BenchOptions options, List<BenchServer> servers, JobStoreApi[] apis,
                                        DatabaseServer store) throws Exception {
        int victim = servers.size() - 1;
        BenchServer killed = servers.get(victim);
        String victimId = nodeId(killed);
        String prefix = "clk-";
        AtomicReference<Counter> dead = new AtomicReference<>();
        Benchmarks.progress("cluster: 3 nodes, a window of " + options.submitSeconds() + " s in which " + victimId
                + " is killed after " + KILL_AFTER.toSeconds() + " s");
        ExecutorService loader = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "cluster-kill-load");
            thread.setDaemon(true);
            return thread;
        });
        long killNanos;
        long orphansAtKill;
        long resolvedNanos;
        LoadGenerator.Outcome outcome;
        try {
            Future<LoadGenerator.Outcome> load = loader.submit(() -> roundRobin(apis, prefix, options.submitClients(),
                    Duration.ofSeconds(options.submitSeconds()), victim, dead));
            servers.get(0).tomcat().pauseWhileRunning(KILL_AFTER);
            for (int hold = 0; hold < HOLD_JOBS; hold++) {
                apis[hold % apis.length].execute(HOLD, prefix + "hold-" + hold, true);
            }
            try (Connection connection = store.connect();
                 PreparedStatement running = connection.prepareStatement(RUNNING_ON);
                 PreparedStatement holding = connection.prepareStatement(HOLDING_ON)) {
                running.setString(1, victimId);
                holding.setString(1, victimId);
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (count(holding) == 0) {
                    if (System.nanoTime() > deadline || load.isDone()) {
                        throw new IllegalStateException("no job of " + HOLD + " ran on " + victimId
                                + " during the load");
                    }
                }
                dead.set(new Counter());
                killNanos = System.nanoTime();
                killed.tomcat().kill();
                orphansAtKill = count(running);
                long resolveDeadline = killNanos + RESOLVE_TIMEOUT.toNanos();
                while (count(running) > 0) {
                    if (System.nanoTime() > resolveDeadline) {
                        throw new IllegalStateException("jobs of " + victimId + " still running "
                                + RESOLVE_TIMEOUT.toSeconds() + " s after the kill");
                    }
                    Thread.sleep(RESOLVE_POLL_MILLIS);
                }
                resolvedNanos = System.nanoTime();
            }
            outcome = load.get(options.submitSeconds() + 120L, TimeUnit.SECONDS);
        } finally {
            loader.shutdownNow();
        }
        SubmissionLoad.awaitDrained(store, servers.get(0));
        String interrupted = "Interrupted: node " + victimId + " stopped responding.";
        Window window = window(store, servers.size(), prefix + "%", outcome.succeeded(), outcome.errors());
        long stopped = stoppedOf(store, prefix + "%");
        double resolvedSeconds = (resolvedNanos - killNanos) / 1e9;
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "Node killed: %s (SIGKILL) %d s into a %d s window of load on 3 nodes,"
                        + " with %d job(s) running or stopping on it as the store said right after the kill",
                victimId, KILL_AFTER.toSeconds(), options.submitSeconds(), orphansAtKill));
        lines.add(String.format(Locale.ROOT, "Its jobs resolved %.1f s after the kill (store polled every %d ms);"
                        + " bound nodeTimeoutSeconds + heartbeatSeconds = %d s: %s", resolvedSeconds,
                RESOLVE_POLL_MILLIS, NODE_TIMEOUT_SECONDS + HEARTBEAT_SECONDS,
                resolvedSeconds <= NODE_TIMEOUT_SECONDS + HEARTBEAT_SECONDS ? "within it" : "OVER it"));
        lines.add(String.format(Locale.ROOT, "The window: %,d accepted, %,d submissions to the dead node refused"
                        + " after the kill, %d other errors; the store holds %s (the stopped ones: \"%s\")",
                outcome.succeeded(), dead.get().refused.get(), outcome.errors(), window.states(), interrupted));
        List<String> wrong = wrongEndings(store, prefix + "%", victimId, interrupted);
        long inStore = window.states().values().stream().mapToLong(Long::longValue).sum();
        if (outcome.errors() > 0 || !wrong.isEmpty() || inStore < outcome.succeeded() || stopped > orphansAtKill) {
            throw new BenchReport.PartFailed(lines, "after the kill: " + outcome.errors() + " errors ("
                    + String.join(" | ", outcome.errorSamples()) + "), " + inStore + " jobs in the store of "
                    + outcome.succeeded() + " accepted, " + stopped + " stopped of " + orphansAtKill
                    + " running at the kill; unexpected endings: " + wrong);
        }
        return lines;
    }

    private static String nodeId(BenchServer server) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(server.tomcat().uri("/health"))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode node = Json.mapper().readTree(response.body()).path("node");
        if (response.statusCode() != 200 || !node.isTextual()) {
            throw new IllegalStateException("/health of " + server.name() + " answered HTTP "
                    + response.statusCode() + ": " + response.body());
        }
        return node.asText();
    }

    private static void requireNoErrors(LoadGenerator.Outcome outcome) {
        if (outcome.errors() > 0 || outcome.succeeded() == 0) {
            throw new IllegalStateException(outcome.errors() + " of " + outcome.calls() + " submissions failed: "
                    + String.join(" | ", outcome.errorSamples()));
        }
    }

    private static long count(PreparedStatement statement) throws SQLException {
        statement.setQueryTimeout(10);
        try (ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Window window(DatabaseServer store, int nodes, String pattern, int accepted, int errors)
            throws SQLException {
        Map<String, Long> states = new TreeMap<>();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        try (Connection connection = store.connect();
             PreparedStatement select = connection.prepareStatement(WINDOW_FIGURES)) {
            select.setQueryTimeout(30);
            select.setString(1, pattern);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    states.put(rs.getString(1), rs.getLong(2));
                    first = Math.min(first, rs.getLong(3));
                    last = Math.max(last, rs.getLong(4));
                }
            }
        }
        return new Window(nodes, accepted, errors, states, first, last);
    }

    private static long stoppedOf(DatabaseServer store, String pattern) throws SQLException {
        try (Connection connection = store.connect();
             PreparedStatement select = connection.prepareStatement(STOPPED_OF)) {
            select.setString(1, pattern);
            return count(select);
        }
    }

    private static List<String> wrongEndings(DatabaseServer store, String pattern, String nodeId, String message)
            throws SQLException {
        List<String> wrong = new ArrayList<>();
        try (Connection connection = store.connect();
             PreparedStatement select = connection.prepareStatement(WRONG_ENDINGS)) {
            select.setQueryTimeout(30);
            select.setString(1, pattern);
            select.setString(2, nodeId);
            select.setString(3, message);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    wrong.add(rs.getString(1) + " " + rs.getString(2) + " on " + rs.getString(3) + ": "
                            + rs.getString(4));
                }
            }
        }
        return wrong;
    }
}
