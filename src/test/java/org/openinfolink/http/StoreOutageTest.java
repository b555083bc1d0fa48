package org.openinfolink.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openinfolink.sql.DataSourceRegistry;
import org.openinfolink.sql.PoolFactory;
import org.openinfolink.testsupport.LogCapture;
import org.openinfolink.testsupport.Poll;

/**
 * The job store lost and found again (CONTRACT section 9): the store is on a private PostgreSQL
 * that the test stops and starts again on the same data directory and port, while the apps' own
 * {@code default} source stays on the embedded H2. A store outage answers STORE_UNAVAILABLE at
 * once, the server recovers by itself when the database is back, and no accepted job is lost; a
 * store missing or silent at start-up stops the deployment, with a message naming it, instead of
 * hanging it.
 */
class StoreOutageTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** How long a call may take while the store is down: well under the pool's 10 s wait for a connection. */
    private static final Duration PROMPT = Duration.ofSeconds(5);
    private static final String UNAVAILABLE = "The job store cannot be used now; retry later.";

    /**
     * The store's password. The private PostgreSQL trusts local connections, so it is never checked,
     * but the server holds it like any other and must not show it.
     */
    private final String storePassword = "pw-" + UUID.randomUUID();

    @Test
    void aStoreOutageMidJobAnswersStoreUnavailableAndTheServerRecoversWithoutARestart() throws Exception {
        try (RestartablePostgres postgres = RestartablePostgres.start("store-outage")) {
            ApiFixture fixture = storeOn(postgres, "store-outage", """
                      heartbeatSeconds: 1
                      nodeTimeoutSeconds: 3
                    """);
            fixture.home.scenario("7", "Gated", """
                    description: Keeps a result, then waits for the test's gate in the app's own database
                    steps:
                      - opName: Transform
                        title: before the gate
                        opParams:
                          query: SELECT 'kept' AS word
                          returnResult: true
                          resultName: before
                      - opName: RunSourceScript
                        title: gate
                        opParams:
                          script: |
                            SET LOCK_TIMEOUT 60000;
                            UPDATE outage_gate SET passes = passes + 1 WHERE id = 1
                    """);
            String key = fixture.allAppsKey;
            StringBuilder answers = new StringBuilder();
            try (LogCapture log = LogCapture.start(Logger.getLogger(""));
                 EmbeddedServer server = new EmbeddedServer(fixture.home.path());
                 Connection gate = closedGate(fixture.home.path().resolve("data"))) {
                Api api = new Api(server);

                List<String> accepted = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    Api.Answer hello = api.post("/api/v1/executeJob.jsp", Api.runScenario(key, "8", "Hello", false));
                    assertEquals("success", hello.status(), hello.toString());
                    accepted.add(hello.result().path("jobId").asText());
                }
                Api.Answer submitted = api.post("/api/v1/executeJob.jsp", Api.runScenario(key, "7", "Gated", true)
                        .put("jobId", "through-the-outage"));
                assertEquals("success", submitted.status(), submitted.toString());
                Poll.until(WAIT, () -> api.status(key, "7", "through-the-outage"),
                        answer -> answer.result().path("progress").path("title").asText().equals("gate"),
                        "the job waits at its gate");

                postgres.stop();

                Api.Answer status = prompt(() -> api.status(key, "7", "through-the-outage"));
                Api.Answer execute = prompt(() -> api.post("/api/v1/executeJob.jsp",
                        Api.runScenario(key, "8", "Hello", false).put("jobId", "during-the-outage")));
                Api.Answer list = prompt(() -> api.get("/api/v1/getJobs.jsp", Api.params("apiKey", key,
                        "appId", "*")));
                for (Api.Answer answer : List.of(status, execute, list)) {
                    assertStoreUnavailable(answer);
                    answers.append(answer.body());
                }
                Poll.until(WAIT, log::text, text -> text.contains("cannot reach the job store"),
                        "the heartbeat notices the outage");

                gate.commit();
                Poll.until(WAIT, log::text, text -> text.contains("Job through-the-outage of app 7 ended completed"),
                        "the job ends while the store is down");
                assertStoreUnavailable(prompt(() -> api.status(key, "7", "through-the-outage")));

                postgres.restart();

                Api.Answer ended = Poll.until(WAIT, () -> api.status(key, "7", "through-the-outage"),
                        answer -> answer.result().path("status").asText().equals("completed"),
                        "the end kept while the store was down is recorded");
                answers.append(ended.body());
                assertEquals("completed", ended.result().path("state").asText(), ended.toString());
                JsonNode results = ended.result().path("results");
                assertEquals(1, results.size(), ended.toString());
                assertEquals("kept", results.get(0).path("result").path("records").get(0).path("word").asText(),
                        "the result written before the outage is served: " + ended);
                // the end is recorded at the start of a heartbeat, the line at its end
                Poll.until(WAIT, log::text, text -> text.contains("The job store can be reached again"),
                        "the heartbeat recovered");

                for (String jobId : accepted) {
                    Api.Answer before = api.status(key, "8", jobId);
                    answers.append(before.body());
                    assertEquals("completed", before.result().path("status").asText(), before.toString());
                    assertEquals("hello", before.result().path("results").get(0).path("result").path("records")
                            .get(0).path("greeting").asText(), before.toString());
                }
                Api.Answer refused = api.status(key, "8", "during-the-outage");
                assertEquals("JOB_NOT_FOUND", refused.code(), "a call answered STORE_UNAVAILABLE accepted nothing: "
                        + refused);

                Api.Answer retried = api.post("/api/v1/executeJob.jsp", Api.runScenario(key, "8", "Hello", false)
                        .put("jobId", "during-the-outage"));
                answers.append(retried.body());
                assertEquals("success", retried.status(), "a new job runs after the outage: " + retried);
                assertEquals("hello", retried.result().path("results").get(0).path("result").path("records").get(0)
                        .path("greeting").asText(), retried.toString());

                Api.Answer listed = api.get("/api/v1/getJobs.jsp", Api.params("apiKey", key, "appId", "*"));
                answers.append(listed.body());
                List<String> listedIds = new ArrayList<>();
                listed.result().path("jobs").forEach(job -> listedIds.add(job.path("jobId").asText()));
                List<String> expected = new ArrayList<>(accepted);
                expected.addAll(List.of("through-the-outage", "during-the-outage"));
                Collections.reverse(expected);
                assertEquals(expected, listedIds, "every accepted job, newest first: " + listed);

                assertFalse(answers.toString().contains(storePassword), "the store's password reached an answer");
                assertFalse(answers.toString().contains("jdbc:"), "the store's URL reached an answer");
                assertFalse(log.text().contains(storePassword), "the store's password reached the log");
            }
        }
    }

    @Test
    void aStoreThatStopsAnsweringMidCallAnswersStoreUnavailableWithinItsSocketTimeoutAndIsUsedAgainAfter()
            throws Exception {
        try (RestartablePostgres postgres = RestartablePostgres.start("store-frozen")) {
            // testOnBorrow off: the pool lends its idle connections unchecked, so a call's statement
            // goes to the frozen server and only the socket timeout (3 s here, 45 s by default) ends it
            ApiFixture fixture = storeOn(postgres, "store-frozen", """
                      pool: {testOnBorrow: false, connectionProperties: "socketTimeout=3"}
                    """);
            String key = fixture.allAppsKey;
            try (LogCapture log = LogCapture.start(Logger.getLogger(""));
                 EmbeddedServer server = new EmbeddedServer(fixture.home.path())) {
                Api api = new Api(server);
                Api.Answer hello = api.post("/api/v1/executeJob.jsp", Api.runScenario(key, "8", "Hello", false));
                assertEquals("success", hello.status(), hello.toString());
                String jobId = hello.result().path("jobId").asText();

                Api.Answer list;
                postgres.freeze();
                try {
                    list = assertTimeoutPreemptively(WAIT, () -> api.get("/api/v1/getJobs.jsp",
                            Api.params("apiKey", key, "appId", "*")), "a call hangs on a store that stopped answering");
                } finally {
                    postgres.thaw();
                }
                assertStoreUnavailable(list);

                Api.Answer listed = Poll.until(WAIT, () -> api.get("/api/v1/getJobs.jsp",
                                Api.params("apiKey", key, "appId", "*")),
                        answer -> "success".equals(answer.status()), "the store is used again after it answers");
                assertEquals(jobId, listed.result().path("jobs").get(0).path("jobId").asText(), listed.toString());
                assertFalse(log.text().contains(storePassword), "the store's password reached the log");
            }
        }
    }

    @Test
    void aStoreThatCannotBeReachedAtStartUpStopsTheDeploymentNamingTheStore() throws Exception {
        int closedPort = freePort();
        String urlPassword = "url-" + UUID.randomUUID();
        ApiFixture fixture = new ApiFixture("store-missing", """
                store:
                  url: jdbc:postgresql://localhost:%d/postgres?password=%s
                  username: postgres
                  password: "%s"
                """.formatted(closedPort, urlPassword, storePassword));
        try (LogCapture log = LogCapture.start(Logger.getLogger(""));
             EmbeddedServer server = new EmbeddedServer(fixture.home.path())) {
            assertFalse(server.isAvailable(), "the deployment must not start without its job store");

            String logged = log.text();
            assertTrue(logged.contains("The InfoLink job server cannot start: The job store (store: of infolink.yaml)"
                    + " cannot be reached: "), logged);
            assertTrue(logged.contains("localhost:" + closedPort), "the message says where the store was looked for: "
                    + logged);
            assertFalse(logged.contains(storePassword), "the store's password reached the log");
            assertFalse(logged.contains(urlPassword), "the password in the store's URL reached the log");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void aStoreThatNeverAnswersAtStartUpStopsTheDeploymentInsteadOfHangingIt(String database) throws Exception {
        // a host that takes connections and never answers: the kernel completes them, nobody reads
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ApiFixture fixture = new ApiFixture("store-silent", """
                    store:
                      url: jdbc:%s://127.0.0.1:%d/infolink
                      username: infolink
                      password: "%s"
                    """.formatted(database, silent.getLocalPort(), storePassword));
            try (LogCapture log = LogCapture.start(Logger.getLogger(""))) {
                long start = System.nanoTime();
                EmbeddedServer server = assertTimeoutPreemptively(WAIT, () -> new EmbeddedServer(fixture.home.path()),
                        "the deployment hangs on a store that never answers");
                try (server) {
                    Duration took = Duration.ofNanos(System.nanoTime() - start);
                    assertFalse(server.isAvailable(), "the deployment must not start without its job store");
                    String logged = log.text();
                    assertTrue(logged.contains("The InfoLink job server cannot start: The job store (store: of "
                            + "infolink.yaml) cannot be reached: "), logged);
                    assertFalse(logged.contains(storePassword), "the store's password reached the log");
                    assertTrue(took.compareTo(PoolFactory.DEFAULT_LOGIN_TIMEOUT.plusSeconds(10)) < 0,
                            "gave up after " + took);
                }
            }
        }
    }

    /**
     * A home whose server answers errors with their HTTP status and keeps its jobs on the test's
     * private PostgreSQL; {@code storeSettings} are more keys of {@code store:}, indented as such.
     */
    private ApiFixture storeOn(RestartablePostgres postgres, String name, String storeSettings) {
        return new ApiFixture(name, """
                api:
                  httpErrorStatus: true
                store:
                  url: %s
                  username: postgres
                  password: "%s"
                """.formatted(postgres.jdbcUrl(), storePassword) + storeSettings);
    }

    /** Makes a call that must answer within {@link #PROMPT} while the store is down. */
    private static Api.Answer prompt(Callable<Api.Answer> call) throws Exception {
        long start = System.nanoTime();
        Api.Answer answer = call.call();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(PROMPT) < 0, "answered after " + took + ": " + answer);
        return answer;
    }

    private static void assertStoreUnavailable(Api.Answer answer) {
        assertEquals("STORE_UNAVAILABLE", answer.code(), answer.toString());
        assertEquals(503, answer.httpStatus(), answer.toString());
        assertEquals("error", answer.status(), answer.toString());
        assertEquals(UNAVAILABLE, answer.result().path("message").asText(), answer.toString());
        assertTrue(answer.contentType().startsWith("application/json"), answer.contentType());
        String body = answer.body().toString();
        assertFalse(body.contains("Exception") || body.contains("\tat ") || body.contains("at org."),
                "no stack trace reaches the client: " + body);
    }

    /**
     * A gate in the app's own embedded H2 database (the server's {@code default} source, the same
     * in-process database): the test holds the row lock of {@code outage_gate} until it commits,
     * and the {@code Gated} scenario waits for it. The caller closes the connection.
     */
    private static Connection closedGate(Path dataDir) throws SQLException {
        Connection gate = DriverManager.getConnection(DataSourceRegistry.embeddedUrl(dataDir), "sa", "");
        try (Statement statement = gate.createStatement()) {
            statement.execute("CREATE TABLE outage_gate (id INTEGER PRIMARY KEY, passes INTEGER NOT NULL)");
            statement.execute("INSERT INTO outage_gate VALUES (1, 0)");
            gate.setAutoCommit(false);
            statement.executeUpdate("UPDATE outage_gate SET passes = passes + 1 WHERE id = 1");
        } catch (SQLException e) {
            gate.close();
            throw e;
        }
        return gate;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * A PostgreSQL of this test only (never the shared {@code TestDatabase.POSTGRESQL}), on a fixed
     * port and a data directory under {@code target/} that outlive a stop, so it can be stopped and
     * started again with its data. {@link #close()} stops it and deletes the data directory.
     */
    private static final class RestartablePostgres implements AutoCloseable {
        private final Path dataDir;
        private final int port;
        private EmbeddedPostgres running;

        private RestartablePostgres(Path dataDir, int port) {
            this.dataDir = dataDir;
            this.port = port;
        }

        static RestartablePostgres start(String name) throws IOException {
            Path dataDir = Path.of("target", name + "-pg-" + UUID.randomUUID().toString().substring(0, 8))
                    .toAbsolutePath();
            RestartablePostgres postgres = new RestartablePostgres(dataDir, freePort());
            postgres.restart();
            return postgres;
        }

        String jdbcUrl() {
            return "jdbc:postgresql://localhost:" + port + "/postgres";
        }

        /** Starts the server on the same data directory and port; the first start creates the data directory. */
        void restart() throws IOException {
            running = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
        }

        /** Freezes the server and its every process (SIGSTOP): connections stay open, nothing answers. */
        void freeze() throws IOException, InterruptedException {
            signal("-STOP");
        }

        /** Lets a frozen server go on (SIGCONT). */
        void thaw() throws IOException, InterruptedException {
            signal("-CONT");
        }

        private void signal(String signal) throws IOException, InterruptedException {
            long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).strip());
            List<String> command = new ArrayList<>(List.of("kill", signal, Long.toString(postmaster)));
            ProcessHandle.of(postmaster).orElseThrow().descendants()
                    .forEach(process -> command.add(Long.toString(process.pid())));
            Process kill = new ProcessBuilder(command).inheritIO().start();
            assertEquals(0, kill.waitFor(), "kill " + signal);
        }

        /** Stops the server (a fast shutdown: sessions are ended), keeping its data. */
        void stop() throws IOException {
            EmbeddedPostgres stopping = running;
            running = null;
            stopping.close();
        }

        @Override
        public void close() throws IOException {
            try {
                if (running != null) {
                    stop();
                }
            } finally {
                if (Files.exists(dataDir)) {
                    try (Stream<Path> paths = Files.walk(dataDir)) {
                        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                            Files.deleteIfExists(path);
                        }
                    }
                }
            }
        }
    }
}
