package org.openinfolink.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openinfolink.http.Api;
import org.openinfolink.testdb.DatabaseServer;
import org.openinfolink.testdb.TestDatabase;
import org.openinfolink.testsupport.Poll;
import org.openinfolink.testsupport.TcpProxy;
import org.openinfolink.testsupport.TestHome;

/**
 * CONTRACT section 10, "several Tomcat nodes, one job store", on three stock Tomcat 11 processes:
 * the same WAR and the same configuration home, each on a CATALINA_BASE and port of its own,
 * each with a generated node id, sharing one job store on PostgreSQL, then on MariaDB. The app's
 * own database is a second database on the same server, shared by every node.
 *
 * <p>The store URL comes from an environment variable ({@code ${env:}} in {@code store: url}):
 * two nodes reach the store directly, the third through a {@link TcpProxy} the test can cut.
 * {@code store.heartbeatSeconds} is 1 and {@code store.nodeTimeoutSeconds} 3. Per database, in
 * this order (each case needs the nodes the one before left):
 * <ol>
 *   <li>results read through another node: a synchronous job on one node, its result set of 300
 *       rows read through {@code getJobStatus} on the two others, identically;</li>
 *   <li>a stop through another node: a job sleeping in the app database on one node is stopped by
 *       a {@code stopJob} call to another, ends {@code stopped} within 2 s + one heartbeat, and its
 *       statement is gone from the database;</li>
 *   <li>never twice: {@value #DEFAULT_JOBS} (or {@code -Dinfolink.it.clusterJobs}) asynchronous
 *       jobs, round-robin over the nodes, each inserting its id into a table without a unique key;
 *       one node killed with SIGKILL once a third of them ran, while a nap it took before the load
 *       still sleeps on it (the short jobs may all have ended at that moment); every job ends
 *       (completed, or stopped as interrupted if it ran on the dead node), no id is in the table
 *       twice, every completed one exactly once, and the dead node's jobs are resolved within
 *       {@code nodeTimeoutSeconds} + one heartbeat (+ {@link #MARGIN}) of the kill;</li>
 *   <li>the proxied node's store connection cut for longer than the node timeout while two jobs
 *       run on it: the live node resolves them, the cut node's {@code /health} answers 503; one
 *       job ends on the cut node meanwhile and its completion is refused when the line is back;
 *       the other is cancelled once the cut node finds it was declared dead; it joins again,
 *       answers {@code /health} 200 and runs a new job.</li>
 * </ol>
 * Figures (start-up, jobs/s, kill and cut to resolution) are printed to the test's output.
 * Homes are under {@code target/test-homes/}, bases under {@code target/it-tomcat/cluster-*}.
 */
class ClusterIT {

    private static final String APP = "c";
    private static final int DEFAULT_JOBS = 2000;
    private static final int JOBS = Integer.getInteger("infolink.it.clusterJobs", DEFAULT_JOBS);
    private static final int HEARTBEAT_SECONDS = 1;
    private static final int NODE_TIMEOUT_SECONDS = 3;
    /** How long the victim's nap sleeps: it must still run when the victim is killed. */
    private static final int NAP_SECONDS = 30;
    /** Slack for the test's own polling and a busy two-core machine, on top of the contract's bounds. */
    private static final Duration MARGIN = Duration.ofMillis(1500);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int SUBMITTERS = 6;
    private static final String STORE_URL_VARIABLE = "INFOLINK_CLUSTER_STORE_URL";
    private static final Path IT_BASES = Path.of("target", "it-tomcat");
    private static final int ROWS = 300;

    private final List<StockTomcat> tomcats = new ArrayList<>();
    private TcpProxy proxy;

    @AfterEach
    void stopEverything() {
        try {
            tomcats.forEach(StockTomcat::close);
        } finally {
            if (proxy != null) {
                proxy.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
    void threeNodesShareOneStore(TestDatabase kind) throws Exception {
        long startNanos = System.nanoTime();
        String name = kind.name().toLowerCase();
        DatabaseServer server = kind.server();
        DatabaseServer storeDb = server.createDatabase("cluster_store");
        DatabaseServer appDb = server.createDatabase("cluster_app");
        execute(appDb, "CREATE TABLE runs (job_id VARCHAR(128) NOT NULL)");
        URI storeAddress = URI.create(storeDb.url().substring("jdbc:".length()));
        proxy = TcpProxy.start(name, storeAddress.getHost(), storeAddress.getPort());
        String proxiedUrl = storeDb.url().replace(storeAddress.getHost() + ":" + storeAddress.getPort(),
                "127.0.0.1:" + proxy.port());
        assertNotEquals(storeDb.url(), proxiedUrl);

        Cluster cluster = new Cluster(kind, storeDb, appDb);
        List<Node> nodes = startNodes(name, cluster.home, List.of(storeDb.url(), storeDb.url(), proxiedUrl));
        System.out.printf("%s: three nodes %s up after %d ms%n", name,
                nodes.stream().map(Node::id).toList(), millisSince(startNanos));

        resultsThroughOtherNodes(cluster, nodes.get(0), nodes.get(1), nodes.get(2));
        stopThroughAnotherNode(cluster, nodes.get(0), nodes.get(1));
        neverTwice(name, cluster, nodes, 1);
        connectionCut(name, cluster, nodes.get(2), nodes.get(0));
        System.out.printf("%s: cluster case took %d ms%n", name, millisSince(startNanos));
    }

    // ---- 1: results through other nodes --------------------------------------------------------

    private void resultsThroughOtherNodes(Cluster cluster, Node a, Node b, Node c) throws Exception {
        Api.Answer sync = cluster.execute(a, "Rows", "rows-1", false, Map.of());
        assertEquals("success", sync.status(), sync::toString);
        JsonNode results = sync.result().path("results");
        JsonNode records = results.path(0).path("result").path("records");
        assertEquals(ROWS, records.size(), sync::toString);
        assertEquals(ROWS * (long) ROWS, records.path(ROWS - 1).path("square").asLong(), records.path(ROWS - 1)::toString);
        assertEquals("row " + ROWS, records.path(ROWS - 1).path("label").asText());
        for (Node other : List.of(b, c)) {
            JsonNode status = cluster.status(other, "rows-1");
            assertEquals("completed", status.path("status").asText(), status::toString);
            assertEquals(results, status.path("results"), "results of rows-1 read through " + other.id());
        }
        assertEquals(cluster.status(b, "rows-1"), cluster.status(c, "rows-1"));
    }

    // ---- 2: a stop through another node --------------------------------------------------------

    private void stopThroughAnotherNode(Cluster cluster, Node a, Node b) throws Exception {
        cluster.submit(a, "Nap", "stop-1", Map.of("seconds", 60));
        JsonNode running = cluster.awaitRunning(b, "stop-1");
        assertEquals(a.id(), running.path("node").asText(), running::toString);
        Poll.until(WAIT, () -> cluster.sleepingStatements(), count -> count == 1, "the nap sleeping in the database");

        long stopNanos = System.nanoTime();
        assertEquals("stop started", cluster.stop(b, "stop-1").path("status").asText());
        JsonNode stopped = Poll.until(WAIT, () -> cluster.status(b, "stop-1"),
                status -> !status.path("status").asText().equals("running"), "stop-1 finished");
        Duration took = Duration.ofNanos(System.nanoTime() - stopNanos);
        System.out.printf("%s: a stop sent to %s ended the job on %s after %d ms%n", cluster.name(), b.id(), a.id(),
                took.toMillis());
        assertEquals("stopped", stopped.path("status").asText(), stopped::toString);
        assertEquals("Stopped by request", stopped.path("message").asText(), stopped::toString);
        assertTrue(took.compareTo(Duration.ofSeconds(2 + HEARTBEAT_SECONDS).plus(MARGIN)) <= 0,
                () -> "the stop took " + took);
        // the statement returned before the job could end: nothing of it may still sleep
        assertEquals(0, cluster.sleepingStatements(), "the nap's statement still runs after the stop");
    }

    // ---- 3: never twice, one node killed -------------------------------------------------------

    private void neverTwice(String name, Cluster cluster, List<Node> nodes, int victim) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            ids.add("mark-%05d".formatted(i));
        }
        AtomicInteger dead = new AtomicInteger(-1);
        AtomicInteger retried = new AtomicInteger();
        long submitNanos = System.nanoTime();
        ExecutorService submitters = Executors.newFixedThreadPool(SUBMITTERS, task -> {
            Thread thread = new Thread(task, "cluster-submitter");
            thread.setDaemon(true);
            return thread;
        });
        Node killed = nodes.get(victim);
        List<Node> survivors = nodes.stream().filter(node -> node != killed).toList();
        // a job that surely runs on the victim when it is killed, taken while it is idle
        String nap = "nap-on-" + killed.id();
        cluster.submit(killed, "ShortNap", nap, Map.of("seconds", NAP_SECONDS));
        JsonNode napping = cluster.awaitRunning(killed, nap);
        assertEquals(killed.id(), napping.path("node").asText(), napping::toString);
        Set<String> orphans;
        Duration resolvedAfterKill;
        long killNanos;
        long submittedMillis;
        try {
            List<Future<?>> submitting = new ArrayList<>();
            for (int t = 0; t < SUBMITTERS; t++) {
                int first = t;
                submitting.add(submitters.submit(() -> {
                    for (int i = first; i < JOBS; i += SUBMITTERS) {
                        cluster.submitRoundRobin(nodes, i, ids.get(i), dead, retried);
                    }
                    return null;
                }));
            }
            Poll.until(WAIT.multipliedBy(3), () -> cluster.countRuns(), count -> count >= JOBS / 3,
                    "a third of the jobs ran");
            dead.set(victim);
            killNanos = System.nanoTime();
            killed.tomcat.kill();
            long killMillis = millisSince(killNanos);
            orphans = cluster.runningOn(killed.id());
            int ranBeforeKill = cluster.countRuns();
            System.out.printf("%s: killed %s (SIGKILL took %d ms) with %d job(s) running on it, %d of %d jobs"
                    + " ran%n", name, killed.id(), killMillis, orphans.size(), ranBeforeKill, JOBS);
            assertTrue(orphans.contains(nap), () -> "the nap was not running on the killed node: " + orphans);
            String interrupted = "Interrupted: node " + killed.id() + " stopped responding.";
            AtomicInteger turn = new AtomicInteger();
            Set<String> unresolved = new LinkedHashSet<>(orphans);
            Poll.until(Duration.ofSeconds(NODE_TIMEOUT_SECONDS + HEARTBEAT_SECONDS).plus(WAIT), () -> {
                for (String jobId : List.copyOf(unresolved)) {
                    JsonNode status = cluster.status(survivors.get(turn.getAndIncrement() % survivors.size()), jobId);
                    if (!status.path("status").asText().equals("running")) {
                        assertEquals("stopped", status.path("status").asText(), status::toString);
                        assertEquals(interrupted, status.path("message").asText(), status::toString);
                        unresolved.remove(jobId);
                    }
                }
                return unresolved.size();
            }, left -> left == 0, "the dead node's jobs resolved");
            resolvedAfterKill = Duration.ofNanos(System.nanoTime() - killNanos);
            System.out.printf("%s: the %d job(s) of the dead node were resolved %d ms after the kill%n", name,
                    orphans.size(), resolvedAfterKill.toMillis());
            for (Future<?> submission : submitting) {
                submission.get(WAIT.toMillis() * 3, TimeUnit.MILLISECONDS);
            }
            submittedMillis = millisSince(submitNanos);
        } finally {
            submitters.shutdownNow();
        }
        System.out.printf("%s: %d jobs submitted in %d ms (%d retried on another node after the kill)%n", name,
                JOBS, submittedMillis, retried.get());

        Map<String, JsonNode> ended = awaitAllEnded(cluster, survivors, ids);
        long allEndedMillis = millisSince(submitNanos);
        // the dead node's nap sleeps on in the app database until its time is up; the next case counts naps
        Poll.until(WAIT, cluster::sleepingStatements, count -> count == 0, "the killed node's nap over");
        Map<String, Integer> runs = cluster.runsPerJob();
        String interrupted = "Interrupted: node " + killed.id() + " stopped responding.";
        Map<String, Integer> byOutcome = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        Instant firstSubmitted = null;
        Instant lastFinished = null;
        for (String jobId : ids) {
            JsonNode status = ended.get(jobId);
            String outcome = status.path("status").asText();
            byOutcome.merge(outcome, 1, Integer::sum);
            int rows = runs.getOrDefault(jobId, 0);
            boolean fine = outcome.equals("completed") ? rows == 1
                    : outcome.equals("stopped") && interrupted.equals(status.path("message").asText())
                    && orphans.contains(jobId) && rows <= 1;
            if (!fine) {
                wrong.add(jobId + " (" + rows + " run(s)): " + status);
            }
            Instant submitted = Instant.parse(status.path("submittedAt").asText());
            Instant finished = Instant.parse(status.path("finishedAt").asText());
            firstSubmitted = firstSubmitted == null || submitted.isBefore(firstSubmitted) ? submitted : firstSubmitted;
            lastFinished = lastFinished == null || finished.isAfter(lastFinished) ? finished : lastFinished;
        }
        Set<String> unknown = new LinkedHashSet<>(runs.keySet());
        ids.forEach(unknown::remove);
        double storeSeconds = Duration.between(firstSubmitted, lastFinished).toMillis() / 1000.0;
        System.out.printf("%s: %d jobs ended %s; %.1f jobs/s by the store's clock (first submitted to last"
                        + " finished, %.1f s), %.1f jobs/s from the first submission to the last end seen (%d ms);"
                        + " jobs per node %s%n", name, JOBS, byOutcome, JOBS / storeSeconds, storeSeconds,
                JOBS * 1000.0 / allEndedMillis, allEndedMillis, cluster.jobsPerNode());
        assertTrue(wrong.isEmpty(), () -> wrong.size() + " job(s) ended wrongly or ran twice, e.g. "
                + wrong.subList(0, Math.min(10, wrong.size())));
        assertTrue(unknown.isEmpty(), () -> "rows of jobs never submitted: " + unknown);
        assertTrue(runs.values().stream().allMatch(count -> count <= 1), () -> "a job ran twice: " + runs);
        Duration bound = Duration.ofSeconds(NODE_TIMEOUT_SECONDS + HEARTBEAT_SECONDS).plus(MARGIN);
        assertTrue(resolvedAfterKill.compareTo(bound) <= 0,
                () -> "the dead node's jobs were resolved " + resolvedAfterKill + " after the kill, over " + bound);
    }

    /** Polls every job's status through the surviving nodes, in turn, until each has ended. */
    private static Map<String, JsonNode> awaitAllEnded(Cluster cluster, List<Node> survivors, List<String> ids)
            throws Exception {
        Map<String, JsonNode> ended = new HashMap<>();
        Set<String> pending = new LinkedHashSet<>(ids);
        AtomicInteger turn = new AtomicInteger();
        Poll.until(WAIT.multipliedBy(3), () -> {
            for (String jobId : List.copyOf(pending)) {
                JsonNode status = cluster.status(survivors.get(turn.getAndIncrement() % survivors.size()), jobId);
                if (!status.path("status").asText().equals("running")) {
                    ended.put(jobId, status);
                    pending.remove(jobId);
                }
            }
            return pending.size();
        }, left -> left == 0, "every job ended");
        return ended;
    }

    // ---- 4: the store connection of one node cut and restored ----------------------------------

    private void connectionCut(String name, Cluster cluster, Node cut, Node live) throws Exception {
        cluster.submit(cut, "Nap", "cut-long", Map.of("seconds", 60));
        cluster.submit(cut, "ShortNap", "cut-short", Map.of("seconds", 6));
        for (String jobId : List.of("cut-long", "cut-short")) {
            JsonNode running = cluster.awaitRunning(live, jobId);
            assertEquals(cut.id(), running.path("node").asText(), running::toString);
        }
        Poll.until(WAIT, cluster::sleepingStatements, count -> count == 2, "both naps sleeping in the database");
        long shortSeq = cluster.seq("cut-short");

        long cutNanos = System.nanoTime();
        proxy.cut();
        String interrupted = "Interrupted: node " + cut.id() + " stopped responding.";
        Map<String, JsonNode> resolved = new LinkedHashMap<>();
        for (String jobId : List.of("cut-long", "cut-short")) {
            JsonNode status = Poll.until(WAIT, () -> cluster.status(live, jobId),
                    s -> !s.path("status").asText().equals("running"), jobId + " resolved by " + live.id());
            assertEquals("stopped", status.path("status").asText(), status::toString);
            assertEquals(interrupted, status.path("message").asText(), status::toString);
            resolved.put(jobId, status);
        }
        Duration resolvedAfterCut = Duration.ofNanos(System.nanoTime() - cutNanos);
        System.out.printf("%s: %s cut from the store; its 2 jobs were resolved by %s %d ms later%n", name, cut.id(),
                live.id(), resolvedAfterCut.toMillis());
        Duration bound = Duration.ofSeconds(NODE_TIMEOUT_SECONDS + HEARTBEAT_SECONDS).plus(MARGIN);
        assertTrue(resolvedAfterCut.compareTo(bound) <= 0, () -> "resolved " + resolvedAfterCut + " after the cut");
        Api.Answer health = cut.health();
        assertEquals(503, health.httpStatus(), health::toString);
        assertEquals("DOWN", health.body().path("status").asText(), health::toString);
        assertEquals("DOWN", health.body().path("checks").path("store").path("status").asText(), health::toString);
        assertEquals(200, live.health().httpStatus());
        // the short nap wakes while the line is still cut: its node ends it "completed" and cannot say so
        Poll.until(WAIT, cluster::sleepingStatements, count -> count == 1, "the short nap woken");
        Poll.until(WAIT, () -> cut.tomcat.catalinaOutText().contains("Job cut-short of app " + APP + " ended completed"),
                done -> done, "cut-short ended on " + cut.id());
        assertEquals(503, cut.health().httpStatus(), "the line is still cut");

        long restoreNanos = System.nanoTime();
        proxy.restore();
        Poll.until(WAIT, cut::health, answer -> answer.httpStatus() == 200, cut.id() + " healthy again");
        long healthyMillis = millisSince(restoreNanos);
        Poll.until(WAIT, cluster::sleepingStatements, count -> count == 0, "the long nap cancelled");
        long cancelledMillis = millisSince(restoreNanos);
        System.out.printf("%s: line restored; %s answered /health 200 after %d ms, its long nap was cancelled after"
                + " %d ms (cut for %d ms)%n", name, cut.id(), healthyMillis, cancelledMillis,
                Duration.ofNanos(restoreNanos - cutNanos).toMillis());
        Poll.until(WAIT, () -> cut.tomcat.catalinaOutText(),
                log -> log.contains("The end of job " + shortSeq + " was not recorded: another node resolved it")
                        && log.contains("Node " + cut.id() + " had been declared dead by another node"),
                cut.id() + " refused the end of cut-short and found itself declared dead");
        for (Map.Entry<String, JsonNode> job : resolved.entrySet()) {
            assertEquals(job.getValue(), cluster.status(cut, job.getKey()), job.getKey() + " after the line came back");
            assertEquals(job.getValue(), cluster.status(live, job.getKey()), job.getKey() + " after the line came back");
        }
        assertEquals(Set.of(cut.id(), live.id()), Set.copyOf(cluster.nodes()), "the nodes in the store");

        cluster.submit(cut, "ShortNap", "after-cut", Map.of("seconds", 1));
        JsonNode running = cluster.status(cut, "after-cut");
        assertEquals(cut.id(), running.path("node").asText(), running::toString);
        JsonNode done = cluster.awaitEnded(live, "after-cut");
        assertEquals("completed", done.path("status").asText(), done::toString);
    }

    // ---- nodes ---------------------------------------------------------------------------------

    /** One Tomcat of the cluster, with the node id its server generated. */
    private record Node(StockTomcat tomcat, Api api, String id) {
        Api.Answer health() throws Exception {
            return api.get("/health", Map.of());
        }
    }

    /** Starts one node per store URL, at the same time, and waits until all answer. */
    private List<Node> startNodes(String name, TestHome home, List<String> storeUrls) throws Exception {
        String distribution = System.getProperty("infolink.it.tomcats", "").split(",")[0];
        assertFalse(distribution.isBlank(), "the system property infolink.it.tomcats is not set: run with mvn verify");
        ExecutorService starters = Executors.newFixedThreadPool(storeUrls.size());
        try {
            List<Future<StockTomcat>> starting = new ArrayList<>();
            for (int i = 0; i < storeUrls.size(); i++) {
                String base = "cluster-" + name + "-" + (i + 1);
                String storeUrl = storeUrls.get(i);
                starting.add(starters.submit(() -> StockTomcat.start(
                        StockTomcat.Options.forDistribution(Path.of(distribution))
                                .war(Path.of(System.getProperty("infolink.it.war", "target/infolink.war")))
                                .contextFile(Path.of("tomcat-conf", "infolink.xml"))
                                .catalinaBase(IT_BASES.resolve(base))
                                .jvmOption("-Xmx" + System.getProperty("infolink.it.heap", "256m"))
                                .jvmOption("-XX:TieredStopAtLevel=1")
                                .jvmOption("-XX:+UseSerialGC")
                                .unsetEnvironment("INFOLINK_HOME")
                                .environment(STORE_URL_VARIABLE, storeUrl)
                                .systemProperty("infolink.home", home.path().toString())
                                .stopTimeout(Duration.ofSeconds(20)))));
            }
            List<Node> nodes = new ArrayList<>();
            Exception failure = null;
            for (Future<StockTomcat> start : starting) {
                try {
                    StockTomcat tomcat = start.get(3, TimeUnit.MINUTES);
                    tomcats.add(tomcat);
                    Api api = new Api(tomcat.baseUrl());
                    Api.Answer health = api.get("/health", Map.of());
                    assertEquals(200, health.httpStatus(), health::toString);
                    nodes.add(new Node(tomcat, api, health.body().path("node").asText()));
                    System.out.printf("%s: %s started in %d ms at %s%n", name, tomcat.catalinaBase().getFileName(),
                            tomcat.startupDuration().toMillis(), tomcat.baseUrl());
                } catch (Exception e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
            assertEquals(3, Set.copyOf(nodes.stream().map(Node::id).toList()).size(), "node ids " + nodes);
            for (Node node : nodes) {
                Api.Answer health = node.health();
                Set<String> listed = new HashSet<>();
                health.body().path("nodes").forEach(listedNode -> listed.add(listedNode.path("node").asText()));
                assertEquals(Set.copyOf(nodes.stream().map(Node::id).toList()), listed,
                        "every node's /health lists every node: " + health);
            }
            return nodes;
        } finally {
            starters.shutdown();
        }
    }

    // ---- the home, the API calls and the databases ---------------------------------------------

    /** The shared home (app {@code c}, its scenarios, one client) and the test's view of both databases. */
    private static final class Cluster {
        final TestDatabase kind;
        final DatabaseServer storeDb;
        final DatabaseServer appDb;
        final TestHome home;
        final String key;

        String name() {
            return kind.name().toLowerCase();
        }

        Cluster(TestDatabase kind, DatabaseServer storeDb, DatabaseServer appDb) {
            this.kind = kind;
            this.storeDb = storeDb;
            this.appDb = appDb;
            boolean postgres = kind == TestDatabase.POSTGRESQL;
            home = TestHome.create("cluster-" + kind.name().toLowerCase());
            home.settings("""
                    jobs:
                      maxConcurrent: 4
                      maxQueued: 100000
                      syncTimeoutSeconds: 60
                      shutdownTimeoutSeconds: 1
                    store:
                      url: ${env:%s}
                      username: %s
                      password: "%s"
                      pool: {maxTotal: 16, maxWaitMillis: 10000}
                      heartbeatSeconds: %d
                      nodeTimeoutSeconds: %d
                    """.formatted(STORE_URL_VARIABLE, storeDb.username(), storeDb.password(), HEARTBEAT_SECONDS,
                    NODE_TIMEOUT_SECONDS));
            key = home.client("cluster", List.of(APP), null);
            home.app(APP, """
                    name: Cluster
                    sources:
                      appdb:
                        url: %s
                        username: %s
                        password: "%s"
                        pool: {maxTotal: 16, maxWaitMillis: 10000}
                    defaultSource: appdb
                    """.formatted(appDb.url(), appDb.username(), appDb.password()));
            // the insert and a short pause in one transaction: a kill mid-step leaves no row
            home.scenario(APP, "Mark", """
                    description: Records that it ran, once per run
                    steps:
                      - opName: RunSourceScript
                        title: mark
                        opParams:
                          script: |
                            INSERT INTO runs (job_id) VALUES (${jobId});
                            %s;
                    """.formatted(postgres ? "SELECT pg_sleep(0.05)" : "DO SLEEP(0.05)"));
            home.scenario(APP, "Nap", """
                    description: Sleeps in the app database, returning a row when it wakes
                    parameters:
                      seconds: {type: integer, required: true}
                    steps:
                      - opName: Transform
                        title: nap
                        opParams:
                          query: %s
                          returnResult: true
                          resultName: nap
                    """.formatted(postgres ? "SELECT 1 AS woke FROM (SELECT pg_sleep(${seconds})) AS nap"
                    : "SELECT SLEEP(${seconds}) AS woke"));
            home.scenario(APP, "ShortNap", """
                    description: Sleeps in the app database, in a script
                    parameters:
                      seconds: {type: integer, required: true}
                    steps:
                      - opName: RunSourceScript
                        title: short nap
                        opParams:
                          script: %s
                    """.formatted(postgres ? "SELECT pg_sleep(${seconds})" : "DO SLEEP(${seconds})"));
            home.scenario(APP, "Rows", """
                    description: %d numbered rows
                    steps:
                      - opName: Transform
                        title: rows
                        opParams:
                          query: |
                            WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < %d)
                            SELECT n, n * n AS square, CONCAT('row ', n) AS label FROM r ORDER BY n
                          returnResult: true
                          resultName: rows
                    """.formatted(ROWS, ROWS));
        }

        Api.Answer execute(Node node, String scenario, String jobId, boolean isAsync, Map<String, Object> parameters)
                throws Exception {
            ObjectNode body = Api.runScenario(key, APP, scenario, isAsync);
            body.put("jobId", jobId);
            ObjectNode values = (ObjectNode) body.path("operation").path("opParams").path("parameters");
            parameters.forEach((name, value) -> values.put(name, value.toString()));
            return node.api().post("/api/v1/executeJob.jsp", body);
        }

        void submit(Node node, String scenario, String jobId, Map<String, Object> parameters) throws Exception {
            Api.Answer answer = execute(node, scenario, jobId, true, parameters);
            assertEquals("success", answer.status(), answer::toString);
            assertEquals(jobId, answer.result().path("jobId").asText());
        }

        /**
         * Submits job {@code i} to node {@code i % 3}, as a round-robin balancer would; a node that
         * is down, or dies before it answers, is skipped and the same job id retried on the next
         * (a retry with the same id and request is idempotent).
         */
        void submitRoundRobin(List<Node> nodes, int i, String jobId, AtomicInteger dead, AtomicInteger retried)
                throws Exception {
            int target = i % nodes.size();
            for (int attempt = 0; attempt < nodes.size() * 2; attempt++) {
                int index = (target + attempt) % nodes.size();
                if (index == dead.get()) {
                    continue;
                }
                try {
                    submit(nodes.get(index), "Mark", jobId, Map.of());
                    if (attempt > 0) {
                        retried.incrementAndGet();
                    }
                    return;
                } catch (IOException e) {
                    if (index != dead.get()) {
                        throw e;
                    }
                }
            }
            throw new AssertionError("no node took " + jobId);
        }

        JsonNode status(Node node, String jobId) throws Exception {
            Api.Answer answer = node.api().status(key, APP, jobId);
            assertEquals("success", answer.status(), () -> node.id() + " on " + jobId + ": " + answer);
            return answer.result();
        }

        JsonNode awaitRunning(Node node, String jobId) throws Exception {
            return Poll.until(WAIT, () -> status(node, jobId),
                    status -> status.path("state").asText().equals("running") && status.has("progress"),
                    jobId + " running");
        }

        JsonNode awaitEnded(Node node, String jobId) throws Exception {
            return Poll.until(WAIT, () -> status(node, jobId),
                    status -> !status.path("status").asText().equals("running"), jobId + " ended");
        }

        JsonNode stop(Node node, String jobId) throws Exception {
            Api.Answer answer = node.api().get("/api/v1/stopJob.jsp",
                    Api.params("apiKey", key, "appId", APP, "jobId", jobId));
            assertEquals("success", answer.status(), answer::toString);
            return answer.result();
        }

        int countRuns() throws SQLException {
            return queryInts(appDb, "SELECT COUNT(*) FROM runs").get(0);
        }

        Map<String, Integer> runsPerJob() throws SQLException {
            Map<String, Integer> runs = new HashMap<>();
            try (Connection connection = appDb.connect(); Statement select = connection.createStatement();
                 ResultSet rs = select.executeQuery("SELECT job_id, COUNT(*) FROM runs GROUP BY job_id")) {
                while (rs.next()) {
                    runs.put(rs.getString(1), rs.getInt(2));
                }
            }
            return runs;
        }

        /** Statements of the app database sleeping now (the naps), the test's own excepted. */
        int sleepingStatements() throws SQLException {
            String sql = kind == TestDatabase.POSTGRESQL
                    ? "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active'"
                    + " AND query LIKE '%pg_sleep(%' AND pid <> pg_backend_pid()"
                    : "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = DATABASE()"
                    + " AND INFO LIKE '%SLEEP(%' AND ID <> CONNECTION_ID()";
            return queryInts(appDb, sql).get(0);
        }

        /** The ids of the jobs the store says run on a node. */
        Set<String> runningOn(String nodeId) throws SQLException {
            Set<String> jobIds = new LinkedHashSet<>();
            try (Connection connection = storeDb.connect(); PreparedStatement select = connection.prepareStatement(
                    "SELECT job_id FROM il_job WHERE node_id = ? AND state IN ('running', 'stopping')")) {
                select.setString(1, nodeId);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        jobIds.add(rs.getString(1));
                    }
                }
            }
            return jobIds;
        }

        long seq(String jobId) throws SQLException {
            try (Connection connection = storeDb.connect(); PreparedStatement select = connection.prepareStatement(
                    "SELECT seq FROM il_job WHERE app_id = ? AND job_id = ?")) {
                select.setString(1, APP);
                select.setString(2, jobId);
                try (ResultSet rs = select.executeQuery()) {
                    assertTrue(rs.next(), jobId + " is not in the store");
                    return rs.getLong(1);
                }
            }
        }

        List<String> nodes() throws SQLException {
            List<String> ids = new ArrayList<>();
            try (Connection connection = storeDb.connect(); Statement select = connection.createStatement();
                 ResultSet rs = select.executeQuery("SELECT node_id FROM il_node ORDER BY node_id")) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }

        Map<String, Integer> jobsPerNode() throws SQLException {
            Map<String, Integer> counts = new TreeMap<>();
            try (Connection connection = storeDb.connect(); Statement select = connection.createStatement();
                 ResultSet rs = select.executeQuery("SELECT node_id, COUNT(*) FROM il_job WHERE job_id LIKE 'mark-%'"
                         + " GROUP BY node_id")) {
                while (rs.next()) {
                    counts.put(String.valueOf(rs.getString(1)), rs.getInt(2));
                }
            }
            return counts;
        }
    }

    private static List<Integer> queryInts(DatabaseServer database, String sql) throws SQLException {
        List<Integer> values = new ArrayList<>();
        try (Connection connection = database.connect(); Statement select = connection.createStatement();
             ResultSet rs = select.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getInt(1));
            }
        }
        return values;
    }

    private static void execute(DatabaseServer database, String sql) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
