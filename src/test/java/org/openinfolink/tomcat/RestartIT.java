package org.openinfolink.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openinfolink.http.Api;
import org.openinfolink.json.Json;
import org.openinfolink.testdb.DatabaseServer;
import org.openinfolink.testdb.TestDatabase;
import org.openinfolink.testsupport.Poll;
import org.openinfolink.testsupport.TestHome;

/**
 * CONTRACT section 9, "nothing lost on restart", on the stock Tomcat 11 distribution with
 * {@code tomcat-conf/infolink.xml}: Tomcat is killed with SIGKILL, or stopped normally, while one
 * job runs and others wait, then started again on the same CATALINA_BASE and home
 * ({@link StockTomcat#startAgain()}), and everything is checked over HTTP.
 *
 * <p>The kill cases run one job at a time ({@code jobs.maxConcurrent: 1}) and check that every
 * finished job answers exactly as before (status, timestamps, trace, results, compared as parsed
 * JSON), that the running job ended {@code stopped} with the interruption message and kept the
 * result set it had finished, that the queued jobs ran, that the app variable kept its value and
 * that a {@code getJobs} cursor taken before the kill still pages the same jobs. The queued jobs
 * are the last thing submitted before the kill: their answers are all that says they exist. They
 * run with the store on the context's H2 file (a node id generated at each start) and on
 * PostgreSQL, once with the same configured {@code store.nodeId} before and after (resolved at
 * start-up) and once with generated ids (resolved by the new node once the old one is silent for
 * {@code store.nodeTimeoutSeconds}).
 *
 * <p>The graceful case runs two jobs at once, one of them a scenario with
 * {@code rerunIfInterrupted: true}, so that both are running when Tomcat stops.
 *
 * <p>Each case has its own home under {@code target/test-homes/} and base under
 * {@code target/it-tomcat/restart-*}; only one Tomcat runs at a time.
 */
class RestartIT {

    private static final String APP = "r";
    private static final Duration JOB_WAIT = Duration.ofSeconds(60);
    private static final Path IT_BASES = Path.of("target", "it-tomcat");

    /** A query H2 works on for hours and cancels within milliseconds. */
    private static final String ENDLESS_QUERY = "SELECT SUM(\"X\") AS total FROM SYSTEM_RANGE(1, 100000000000)";

    private final List<StockTomcat> tomcats = new ArrayList<>();

    @AfterEach
    void stopLeftovers() {
        tomcats.forEach(StockTomcat::close);
    }

    @Test
    void killedWithTheStoreOnH2() throws Exception {
        killWhileAJobRuns("kill-h2", "", node -> "Interrupted: node " + node + " stopped while the job was running.");
    }

    @Test
    void killedWithTheStoreOnPostgresAndTheSameNodeId() throws Exception {
        String store = postgresStore("restart-pg-1");
        killWhileAJobRuns("kill-pg-node-id", store, node -> {
            assertEquals("restart-pg-1", node);
            return "Interrupted: node restart-pg-1 stopped while the job was running.";
        });
    }

    @Test
    void killedWithTheStoreOnPostgresAndGeneratedNodeIds() throws Exception {
        killWhileAJobRuns("kill-pg-generated", postgresStore(null),
                node -> "Interrupted: node " + node + " stopped responding.");
    }

    /**
     * Kill case: finished jobs of every final status, a running job and queued ones; SIGKILL;
     * start again; check.
     *
     * @param interruption the message the running job must end with, from the node that ran it
     */
    private void killWhileAJobRuns(String name, String storeSettings, UnaryOperator<String> interruption)
            throws Exception {
        Fixture fixture = new Fixture(name, """
                jobs:
                  maxConcurrent: 1
                """ + storeSettings);
        StockTomcat tomcat = start(name, fixture.home);
        Api api = new Api(tomcat.baseUrl());

        assertEquals("success", fixture.execute(api, "Report", "report-1", false).status());
        assertEquals("success", fixture.execute(api, "Report", "report-2", false).status());
        Api.Answer failed = fixture.execute(api, "FailsHalfway", "failed-1", false);
        assertEquals("JOB_FAILED", failed.code(), failed::toString);
        Map<String, JsonNode> finished = new LinkedHashMap<>();
        for (String jobId : List.of("report-1", "report-2", "failed-1")) {
            finished.put(jobId, fixture.status(api, jobId));
        }
        assertReport(finished.get("report-1"));

        fixture.submit(api, "Slow", "slow-1");
        JsonNode running = fixture.awaitStep(api, "slow-1", 2);
        String node = running.path("node").asText();
        assertFalse(node.isEmpty(), running::toString);
        fixture.submit(api, "Squares", "stopped-1");
        assertEquals("stop started", fixture.stop(api, "stopped-1").path("status").asText());
        finished.put("stopped-1", fixture.status(api, "stopped-1"));
        assertEquals("Stopped by request", finished.get("stopped-1").path("message").asText());
        JsonNode firstPage = fixture.jobs(api, 1, null);
        String cursor = firstPage.path("next").asText();
        assertFalse(cursor.isEmpty(), firstPage::toString);
        List<String> afterCursor = jobIds(fixture.jobs(api, 50, cursor));
        assertEquals(List.of("slow-1", "failed-1", "report-2", "report-1"), afterCursor);
        List<String> queued = List.of("queued-1", "queued-2", "queued-3");
        for (String jobId : queued) {
            fixture.submit(api, "Squares", jobId);
        }

        long pid = tomcat.pid();
        tomcat.kill();
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " is alive");
        assertFalse(tomcat.stoppedGracefully());
        tomcat = startAgain(tomcat);

        for (Map.Entry<String, JsonNode> job : finished.entrySet()) {
            assertEquals(job.getValue(), fixture.status(api, job.getKey()), "status of " + job.getKey());
        }
        JsonNode interrupted = fixture.awaitFinished(api, "slow-1");
        assertEquals("stopped", interrupted.path("status").asText(), interrupted::toString);
        assertEquals(interruption.apply(node), interrupted.path("message").asText());
        assertInterruptedSlowJob(running, interrupted, List.of("completed"));
        for (String jobId : queued) {
            JsonNode ran = fixture.awaitFinished(api, jobId);
            assertEquals("completed", ran.path("status").asText(), ran::toString);
            assertEquals(1, ran.path("attempt").asInt(), ran::toString);
            assertEquals(50, ran.path("results").path(0).path("result").path("records").size(), ran::toString);
        }
        Api.Answer variable = fixture.execute(api, "ReadVariable", "read-1", false);
        assertEquals(Json.mapper().readTree("[{\"last_report\": \"report-2\"}]"),
                variable.result().path("results").path(0).path("result").path("records"), variable::toString);
        assertEquals(List.of("read-1", "queued-3", "queued-2", "queued-1", "stopped-1", "slow-1", "failed-1",
                "report-2", "report-1"), jobIds(fixture.jobs(api, 50, null)));
        assertEquals(afterCursor, jobIds(fixture.jobs(api, 50, cursor)));
        tomcat.close();
        assertTrue(tomcat.stoppedGracefully(), "Tomcat did not stop on SIGTERM after the restart");
    }

    @Test
    void stoppedGracefully() throws Exception {
        Fixture fixture = new Fixture("graceful", """
                jobs:
                  maxConcurrent: 2
                  shutdownTimeoutSeconds: 1
                """);
        StockTomcat tomcat = start("graceful", fixture.home);
        Api api = new Api(tomcat.baseUrl());
        assertEquals("success", fixture.execute(api, "Report", "report-1", false).status());
        JsonNode report = fixture.status(api, "report-1");

        fixture.submit(api, "Slow", "slow-1");
        fixture.submit(api, "Rerun", "rerun-1");
        JsonNode running = fixture.awaitStep(api, "slow-1", 2);
        JsonNode rerunning = fixture.awaitStep(api, "rerun-1", 2);
        List<String> queued = List.of("queued-1", "queued-2");
        for (String jobId : queued) {
            fixture.submit(api, "Squares", jobId);
            assertEquals("queued", fixture.status(api, jobId).path("state").asText());
        }

        Instant stopping = Instant.now();
        tomcat.close();
        assertTrue(tomcat.stoppedGracefully(), "Tomcat did not stop on SIGTERM within the stop timeout");
        Instant stopped = Instant.now();
        tomcat = startAgain(tomcat);

        assertEquals(report, fixture.status(api, "report-1"));
        JsonNode interrupted = fixture.awaitFinished(api, "slow-1");
        assertEquals("stopped", interrupted.path("status").asText(), interrupted::toString);
        assertEquals("Interrupted: server shut down.", interrupted.path("message").asText());
        assertInterruptedSlowJob(running, interrupted, List.of("completed", "stopped"));
        assertBetween(stopping, stopped, interrupted.path("finishedAt"));

        JsonNode rerun = fixture.awaitFinished(api, "rerun-1");
        assertEquals("completed", rerun.path("status").asText(), rerun::toString);
        assertEquals(2, rerun.path("attempt").asInt(), rerun::toString);
        assertEquals(rerunning.path("submittedAt"), rerun.path("submittedAt"));
        assertTrue(Instant.parse(rerun.path("startedAt").asText()).isAfter(stopped), rerun::toString);
        assertEquals(List.of("completed", "completed"), outcomes(rerun), "the trace of the second attempt only");
        assertEquals(Json.mapper().readTree("[{\"total\": 500500}]"),
                rerun.path("results").path(0).path("result").path("records"), rerun::toString);

        for (String jobId : queued) {
            JsonNode ran = fixture.awaitFinished(api, jobId);
            assertEquals("completed", ran.path("status").asText(), ran::toString);
            assertEquals(1, ran.path("attempt").asInt(), ran::toString);
            assertTrue(Instant.parse(ran.path("startedAt").asText()).isAfter(stopped),
                    () -> jobId + " started before the restart: " + ran);
        }
        tomcat.close();
        assertTrue(tomcat.stoppedGracefully(), "Tomcat did not stop on SIGTERM after the restart");
    }

    /** The report: four steps, 4 companies and 50 squares, so comparing it compares something. */
    private static void assertReport(JsonNode report) {
        assertEquals("completed", report.path("status").asText(), report::toString);
        assertEquals(List.of("completed", "completed", "completed", "completed"), outcomes(report));
        assertEquals(4, report.path("results").path(0).path("result").path("records").size(), report::toString);
        assertEquals(50, report.path("results").path(1).path("result").path("records").size(), report::toString);
    }

    /**
     * The slow job after its interruption: submitted and started as before, its first step and
     * the result set it finished are kept.
     *
     * @param outcomes the outcomes of its steps: a killed job never recorded its endless step, a
     *                 job stopped at shutdown recorded it as stopped
     */
    private static void assertInterruptedSlowJob(JsonNode running, JsonNode interrupted, List<String> outcomes)
            throws IOException {
        assertEquals("stopped", interrupted.path("state").asText());
        assertEquals(running.path("submittedAt"), interrupted.path("submittedAt"));
        assertEquals(running.path("startedAt"), interrupted.path("startedAt"));
        assertEquals(1, interrupted.path("attempt").asInt(), interrupted::toString);
        assertTrue(interrupted.path("finishedAt").isTextual(), interrupted::toString);
        assertFalse(interrupted.has("node") || interrupted.has("progress"), interrupted::toString);
        assertEquals(1, running.path("trace").size(), running::toString);
        assertEquals(running.path("trace").path(0), interrupted.path("trace").path(0));
        assertEquals(outcomes, outcomes(interrupted));
        assertEquals(Json.mapper().readTree("[{\"name\": \"first\", \"records\": [{\"one\": 1}]}]"),
                withoutSchemas(interrupted.path("results")), interrupted::toString);
    }

    private static void assertBetween(Instant from, Instant to, JsonNode time) {
        Instant instant = Instant.parse(time.asText());
        // the store's clock writes milliseconds; the bounds are this JVM's, on the same machine
        assertFalse(instant.isBefore(from.minusMillis(1)) || instant.isAfter(to.plusMillis(1)),
                () -> time + " is not between " + from + " and " + to);
    }

    private static List<String> outcomes(JsonNode status) {
        List<String> outcomes = new ArrayList<>();
        status.path("trace").forEach(step -> outcomes.add(step.path("outcome").asText()));
        return outcomes;
    }

    private static JsonNode withoutSchemas(JsonNode results) {
        JsonNode copy = results.deepCopy();
        copy.forEach(result -> {
            ObjectNode set = (ObjectNode) result;
            set.set("records", set.path("result").path("records"));
            set.remove("result");
        });
        return copy;
    }

    private static List<String> jobIds(JsonNode listing) {
        List<String> ids = new ArrayList<>();
        listing.path("jobs").forEach(job -> ids.add(job.path("jobId").asText()));
        return ids;
    }

    /** The {@code store:} settings of a new PostgreSQL database; {@code nodeId} null for generated ids. */
    private static String postgresStore(String nodeId) {
        DatabaseServer database = TestDatabase.POSTGRESQL.server().createDatabase("restart");
        return """
                store:
                  url: %s
                  username: %s
                  password: "%s"
                  heartbeatSeconds: 1
                  nodeTimeoutSeconds: 3
                """.formatted(database.url(), database.username(), database.password())
                + (nodeId == null ? "" : "  nodeId: " + nodeId + "\n");
    }

    private StockTomcat start(String name, TestHome home) throws IOException {
        String distribution = System.getProperty("infolink.it.tomcats", "").split(",")[0];
        assertFalse(distribution.isBlank(), "the system property infolink.it.tomcats is not set: run with mvn verify");
        StockTomcat tomcat = StockTomcat.start(StockTomcat.Options.forDistribution(Path.of(distribution))
                .war(Path.of(System.getProperty("infolink.it.war", "target/infolink.war")))
                .contextFile(Path.of("tomcat-conf", "infolink.xml"))
                .catalinaBase(IT_BASES.resolve("restart-" + name))
                .jvmOption("-Xmx" + System.getProperty("infolink.it.heap", "256m"))
                // C1 only and one GC thread: most of these starts' time is JIT on two busy cores
                .jvmOption("-XX:TieredStopAtLevel=1")
                .jvmOption("-XX:+UseSerialGC")
                .unsetEnvironment("INFOLINK_HOME")
                .systemProperty("infolink.home", home.path().toString())
                .stopTimeout(Duration.ofSeconds(30)));
        tomcats.add(tomcat);
        System.out.printf("%s: started in %d ms at %s%n", name, tomcat.startupDuration().toMillis(), tomcat.baseUrl());
        return tomcat;
    }

    private StockTomcat startAgain(StockTomcat stopped) throws IOException {
        StockTomcat tomcat = stopped.startAgain();
        tomcats.add(tomcat);
        assertEquals(stopped.baseUrl(), tomcat.baseUrl());
        assertNotEquals(stopped.pid(), tomcat.pid());
        System.out.printf("%s: started again in %d ms%n", tomcat.catalinaBase().getFileName(),
                tomcat.startupDuration().toMillis());
        return tomcat;
    }

    /** A home with the app {@code r} and its scenarios, and one client allowed to run them. */
    private static final class Fixture {
        final TestHome home;
        final String key;

        Fixture(String name, String settings) {
            home = TestHome.create("restart-" + name);
            home.settings(settings);
            key = home.client("restart", List.of(APP), null);
            home.app(APP, """
                    name: Restart
                    variables:
                      lastReport: none
                    """);
            home.scenario(APP, "Report", """
                    description: Companies and squares; remembers the last report
                    steps:
                      - opName: RunSourceScript
                        title: companies table
                        opParams:
                          script: |
                            CREATE TABLE IF NOT EXISTS companies (
                              id INTEGER PRIMARY KEY, company_name VARCHAR(100), country VARCHAR(2), founded DATE);
                            MERGE INTO companies KEY (id) VALUES (1, 'IBM', 'US', DATE '1911-06-16'),
                              (2, 'Microsoft', 'US', DATE '1975-04-04'), (3, 'SAP', 'DE', DATE '1972-04-01'),
                              (4, 'Siemens', 'DE', DATE '1847-10-12');
                      - opName: Transform
                        title: companies
                        opParams:
                          query: SELECT id, company_name, country, founded FROM companies ORDER BY id
                          returnResult: true
                          resultName: companies
                      - opName: Transform
                        title: squares
                        opParams:
                          query: |
                            SELECT "X" AS n, "X" * "X" AS square, CAST("X" / 7.0 AS DECIMAL(10,4)) AS seventh
                            FROM SYSTEM_RANGE(1, 50)
                          returnResult: true
                          resultName: squares
                      - opName: SetVariable
                        opParams:
                          name: lastReport
                          value: ${jobId}
                    """);
            home.scenario(APP, "Squares", """
                    steps:
                      - opName: Transform
                        opParams:
                          query: SELECT "X" AS n, "X" * "X" AS square FROM SYSTEM_RANGE(1, 50)
                          returnResult: true
                          resultName: squares
                    """);
            home.scenario(APP, "ReadVariable", """
                    steps:
                      - opName: Transform
                        opParams:
                          query: SELECT CAST(${lastReport} AS VARCHAR(128)) AS last_report
                          returnResult: true
                          resultName: variable
                    """);
            home.scenario(APP, "FailsHalfway", """
                    steps:
                      - opName: Transform
                        opParams:
                          query: SELECT 'kept' AS word
                          returnResult: true
                          resultName: before
                      - opName: Transform
                        title: missing table
                        opParams:
                          query: SELECT id FROM no_such_table
                          returnResult: true
                          resultName: never
                    """);
            home.scenario(APP, "Slow", """
                    description: Runs until stopped
                    steps:
                      - opName: Transform
                        title: first
                        opParams:
                          query: SELECT 1 AS one
                          returnResult: true
                          resultName: first
                      - opName: Transform
                        title: endless sum
                        opParams:
                          query: %s
                          returnResult: true
                          resultName: total
                    """.formatted(ENDLESS_QUERY));
            // endless on the first attempt only: the first step counts the attempts in a table
            home.scenario(APP, "Rerun", """
                    description: Idempotent; runs until stopped on its first attempt, briefly on the next
                    rerunIfInterrupted: true
                    steps:
                      - opName: RunSourceScript
                        title: count the attempt
                        opParams:
                          script: |
                            CREATE TABLE IF NOT EXISTS rerun_attempts (job_id VARCHAR(128));
                            INSERT INTO rerun_attempts VALUES (${jobId});
                      - opName: Transform
                        title: long on the first attempt
                        opParams:
                          query: |
                            SELECT SUM("X") AS total FROM SYSTEM_RANGE(1, (SELECT CASE WHEN COUNT(*) < 2
                              THEN 100000000000 ELSE 1000 END FROM rerun_attempts WHERE job_id = ${jobId}))
                          returnResult: true
                          resultName: total
                    """);
        }

        Api.Answer execute(Api api, String scenario, String jobId, boolean isAsync) throws Exception {
            ObjectNode body = Api.runScenario(key, APP, scenario, isAsync);
            body.put("jobId", jobId);
            return api.post("/api/v1/executeJob.jsp", body);
        }

        void submit(Api api, String scenario, String jobId) throws Exception {
            Api.Answer answer = execute(api, scenario, jobId, true);
            assertEquals("success", answer.status(), answer::toString);
            assertEquals(jobId, answer.result().path("jobId").asText());
        }

        JsonNode status(Api api, String jobId) throws Exception {
            Api.Answer answer = api.status(key, APP, jobId);
            assertEquals("success", answer.status(), answer::toString);
            return answer.result();
        }

        JsonNode awaitFinished(Api api, String jobId) throws Exception {
            return api.awaitFinished(key, APP, jobId, JOB_WAIT).result();
        }

        /** Waits until a job runs its top-level step {@code step}. */
        JsonNode awaitStep(Api api, String jobId, int step) throws Exception {
            return Poll.until(JOB_WAIT, () -> status(api, jobId),
                    status -> status.path("state").asText().equals("running")
                            && status.path("progress").path("step").asInt() == step,
                    jobId + " running step " + step);
        }

        JsonNode stop(Api api, String jobId) throws Exception {
            Api.Answer answer = api.get("/api/v1/stopJob.jsp", Api.params("apiKey", key, "appId", APP, "jobId", jobId));
            assertEquals("success", answer.status(), answer::toString);
            return answer.result();
        }

        JsonNode jobs(Api api, int limit, String after) throws Exception {
            Map<String, String> params = Api.params("apiKey", key, "appId", APP, "limit", Integer.toString(limit));
            if (after != null) {
                params.put("after", after);
            }
            Api.Answer answer = api.get("/api/v1/getJobs.jsp", params);
            assertEquals("success", answer.status(), answer::toString);
            return answer.result();
        }
    }
}
