package org.openinfolink.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.openinfolink.config.DemoHome;
import org.openinfolink.http.ConsoleSession;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Drops the built WAR into each stock Tomcat distribution the build unpacked (system property
 * {@code infolink.it.tomcats}: Tomcat 11.0.24 and 10.1.59) exactly as an operator would: the
 * distribution's own conf (only the ports changed), {@code infolink.war} in {@code webapps/},
 * {@code tomcat-conf/infolink.xml} as the context file, no configuration home, so the server
 * runs its built-in demo (CONTRACT section 8). Then it calls the API over real HTTP and checks
 * the parsed JSON, and checks that Tomcat stops cleanly.
 *
 * <p>A second group per distribution runs the same WAR with {@code tomcat-conf/server.xml}, the
 * configuration of {@code mvn -Prun package}, and checks that API keys in query strings never
 * reach its access log.
 *
 * <p>Each group starts one Tomcat on its first test and stops it in its "stops cleanly" test,
 * so only one Tomcat runs at a time; {@link #stopLeftovers()} stops any that a failure left.
 * CATALINA_BASEs stay in {@code target/it-tomcat/} for inspection.
 */
class StockTomcatDeployIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration JOB_DEADLINE = Duration.ofSeconds(60);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    private static final Set<String> FINAL_JOB_STATUSES = Set.of("completed", "completedWithError", "stopped");
    private static final String DEMO_APP_ID = "7";
    private static final Path CONTEXT_FILE = Path.of("tomcat-conf", "infolink.xml");
    private static final Path RUN_SERVER_XML = Path.of("tomcat-conf", "server.xml");
    private static final Path IT_BASES = Path.of("target", "it-tomcat");
    private static final String CONSOLE_ADMIN = "ops";
    private static final String CONSOLE_PASSWORD = "c0nsole-" + Long.toHexString(System.nanoTime());

    private final List<Deployment> deployments = new ArrayList<>();

    @TestFactory
    Stream<DynamicNode> deployIntoStockTomcat() {
        return distributions().stream().map(home -> {
            String name = home.getFileName().toString();
            Deployment deployment = deploy(name, options(home).catalinaBase(IT_BASES.resolve(name)));
            return dynamicContainer(name + ", stock conf", Stream.of(
                    dynamicTest("deploys the WAR and answers in the JSON envelope",
                            () -> answersUnknownJobInTheEnvelope(deployment.tomcat())),
                    dynamicTest("runs the demo scenario synchronously", () -> demoRunsSynchronously(deployment.tomcat())),
                    dynamicTest("runs the demo scenario asynchronously", () -> demoRunsAsynchronously(deployment.tomcat())),
                    dynamicTest("stops cleanly", () -> stopsCleanly(deployment))));
        });
    }

    @TestFactory
    Stream<DynamicNode> runWithTheRunProfileServerXml() {
        return distributions().stream().map(home -> {
            String name = home.getFileName().toString();
            String secret = randomSecret();
            Deployment deployment = deploy(name + " run conf", options(home)
                    .serverXml(RUN_SERVER_XML)
                    .tomcatUsers(consoleUsers())
                    .confDirectory(Path.of("tomcat-conf", "errors"), "infolink-errors")
                    .catalinaBase(IT_BASES.resolve(name + "-run-conf")));
            return dynamicContainer(name + ", tomcat-conf/server.xml", Stream.of(
                    dynamicTest("answers requests that carry an API key in the query string or a path parameter",
                            () -> requestWithKeyInUrl(deployment.tomcat(), secret)),
                    dynamicTest("shows the admin console to a user of tomcat-users.xml, after FORM login",
                            () -> consoleForTomcatUsers(deployment.tomcat())),
                    dynamicTest("stops cleanly", () -> stopsCleanly(deployment)),
                    dynamicTest("never writes the API key to the access log",
                            () -> accessLogHasNoKey(deployment.stoppedTomcat(), secret)),
                    dynamicTest("writes the URL to the access log with apiKey masked, in the query and the path",
                            () -> accessLogHasMaskedUrl(deployment.stoppedTomcat(), secret))));
        });
    }

    @AfterEach
    void stopLeftovers() {
        deployments.forEach(Deployment::close);
    }

    /** CONTRACT 2.2 and 7: a job that does not exist is refused with JOB_NOT_FOUND, as JSON. */
    private void answersUnknownJobInTheEnvelope(StockTomcat tomcat) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(tomcat.uri("/api/v1/getJobStatus.jsp?apiKey="
                + encode(DemoHome.DEMO_API_KEY) + "&appId=" + DEMO_APP_ID + "&jobId=no-such-job")).GET());

        JsonNode error = errorResult(response);
        assertEquals("JOB_NOT_FOUND", error.path("code").asText(), response::body);
    }

    private void demoRunsSynchronously(StockTomcat tomcat) throws Exception {
        JsonNode result = successResult(executeDemo(tomcat, false));

        assertTrue(result.path("jobId").isTextual() && !result.path("jobId").asText().isEmpty(),
                () -> "result.jobId: " + result);
        assertCompaniesResult(result);
    }

    private void demoRunsAsynchronously(StockTomcat tomcat) throws Exception {
        JsonNode accepted = successResult(executeDemo(tomcat, true));
        String jobId = accepted.path("jobId").asText();
        assertFalse(jobId.isEmpty(), () -> "result.jobId: " + accepted);

        URI statusUri = tomcat.uri("/api/v1/getJobStatus.jsp?apiKey=" + encode(DemoHome.DEMO_API_KEY)
                + "&appId=" + DEMO_APP_ID + "&jobId=" + encode(jobId));
        long deadline = System.nanoTime() + JOB_DEADLINE.toNanos();
        JsonNode status = successResult(send(HttpRequest.newBuilder(statusUri).GET()));
        while ("running".equals(status.path("status").asText())) {
            if (System.nanoTime() - deadline > 0) {
                fail("job " + jobId + " still running after " + JOB_DEADLINE + ": " + status);
            }
            tomcat.pauseWhileRunning(POLL_INTERVAL);
            status = successResult(send(HttpRequest.newBuilder(statusUri).GET()));
        }

        JsonNode finalStatus = status;
        assertTrue(FINAL_JOB_STATUSES.contains(finalStatus.path("status").asText()),
                () -> "result.status is not a job status: " + finalStatus);
        assertEquals("completed", finalStatus.path("status").asText(), finalStatus::toString);
        assertCompaniesResult(finalStatus);
    }

    private void stopsCleanly(Deployment deployment) throws Exception {
        StockTomcat tomcat = deployment.tomcat();
        long pid = tomcat.pid();
        long linesBeforeStop = tomcat.catalinaOutText().lines().count();
        long stopStarted = System.nanoTime();

        tomcat.close();

        System.out.printf("%s stopped in %d ms%n", deployment.name,
                Duration.ofNanos(System.nanoTime() - stopStarted).toMillis());
        assertTrue(tomcat.stoppedGracefully(), "Tomcat did not stop on SIGTERM within the stop timeout");
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " is alive");
        assertTrue(tomcat.catalinaOutText().lines().count() > linesBeforeStop,
                () -> "what Tomcat logged while stopping is missing from " + tomcat.catalinaOut());
        assertThrows(IOException.class, () -> new Socket("127.0.0.1", tomcat.httpPort()).close(),
                "port " + tomcat.httpPort() + " still accepts connections");
        List<String> severe = tomcat.catalinaOutText().lines()
                .filter(line -> line.contains("SEVERE"))
                .collect(Collectors.toList());
        assertEquals(List.of(), severe, "SEVERE lines in " + tomcat.catalinaOut());
        assertTrue(tomcat.accessLogLines().stream().anyMatch(line -> line.contains(" /infolink/api/v1/")),
                () -> "no API request in the access log: " + tomcat.logFiles());
    }

    /** A wrong key in the query string: refused with INVALID_API_KEY (CONTRACT 7), then logged. */
    private void requestWithKeyInUrl(StockTomcat tomcat, String secret) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(tomcat.uri(
                "/api/v1/getJobStatus.jsp?apiKey=" + secret + "&appId=" + DEMO_APP_ID + "&jobId=no-such-job")).GET());

        JsonNode error = errorResult(response);
        assertEquals("INVALID_API_KEY", error.path("code").asText(), response::body);
        assertFalse(response.body().contains(secret), "the key is echoed in the answer");

        HttpResponse<String> pathParameter = send(HttpRequest.newBuilder(tomcat.uri(
                "/api/v1/getJobStatus.jsp;apiKey=" + secret + "?appId=" + DEMO_APP_ID + "&jobId=no-such-job")).GET());
        assertEquals("MISSING_PARAMETER", errorResult(pathParameter).path("code").asText(), pathParameter::body);
    }

    /**
     * CONTRACT 11 on a stock Tomcat: the console's FORM login against the UserDatabase realm of
     * tomcat-conf/server.xml, every page rendered by its JSTL views (Tomcat 10.1's EL reads the
     * model records too), a user without a console role refused with an HTML page.
     */
    private void consoleForTomcatUsers(StockTomcat tomcat) throws Exception {
        String context = tomcat.baseUrl();
        ConsoleSession anonymous = new ConsoleSession(context);
        assertTrue(anonymous.get("/admin/").body().contains("j_security_check"), "the login form");

        ConsoleSession ops = new ConsoleSession(context);
        HttpResponse<String> overview = ops.loginAndFollow(CONSOLE_ADMIN, CONSOLE_PASSWORD);
        assertEquals(200, overview.statusCode(), overview::body);
        assertTrue(overview.body().contains("<h1>Overview</h1>"), overview::body);
        assertTrue(overview.body().contains("id=\"chart-finished-hour\""), overview::body);
        for (String page : List.of("/admin/apps", "/admin/jobs", "/admin/clients", "/admin/audit")) {
            HttpResponse<String> answer = ops.get(page);
            assertEquals(200, answer.statusCode(), () -> page + ": " + answer.body());
            assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), page);
        }

        HttpResponse<String> refused = new ConsoleSession(context).loginAndFollow("no-role", CONSOLE_PASSWORD);
        assertEquals(403, refused.statusCode(), refused::body);
        assertTrue(refused.body().contains("infolink-admin or infolink-viewer"), refused::body);
    }

    /** A tomcat-users.xml with a console admin and a user without any console role. */
    private static Path consoleUsers() {
        try {
            Files.createDirectories(IT_BASES);
            Path file = IT_BASES.resolve("tomcat-users.xml");
            Files.writeString(file, """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <tomcat-users xmlns="http://tomcat.apache.org/xml" version="1.0">
                      <role rolename="infolink-admin"/>
                      <user username="%s" password="%s" roles="infolink-admin"/>
                      <user username="no-role" password="%s" roles="something-else"/>
                    </tomcat-users>
                    """.formatted(CONSOLE_ADMIN, CONSOLE_PASSWORD, CONSOLE_PASSWORD));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void accessLogHasNoKey(StockTomcat tomcat, String secret) {
        List<String> lines = tomcat.accessLogLines();

        assertTrue(lines.stream().anyMatch(line -> line.contains("\"GET /infolink/api/v1/getJobStatus.jsp")),
                () -> "the getJobStatus request is not in the access log: " + lines);
        assertEquals(List.of(), lines.stream().filter(line -> line.contains(secret)).collect(Collectors.toList()),
                "access log lines with the API key");
    }

    /** Needs the web application to set the request attributes org.openinfolink.accessLogPath and accessLogQuery. */
    private void accessLogHasMaskedUrl(StockTomcat tomcat, String secret) {
        List<String> lines = tomcat.accessLogLines().stream()
                .filter(line -> line.contains("/infolink/api/v1/getJobStatus.jsp"))
                .collect(Collectors.toList());
        assertEquals(2, lines.size(), () -> "getJobStatus lines: " + lines);
        String inQuery = lines.get(0);
        String inPath = lines.get(1);

        assertTrue(inQuery.contains("\"GET /infolink/api/v1/getJobStatus.jsp?apiKey=****&"), inQuery);
        assertTrue(inQuery.contains("appId=" + DEMO_APP_ID) && inQuery.contains("jobId=no-such-job"), inQuery);
        assertTrue(inPath.contains("\"GET /infolink/api/v1/getJobStatus.jsp;apiKey=****?appId=" + DEMO_APP_ID
                + "&jobId=no-such-job HTTP/1.1\""), inPath);
        assertFalse(inQuery.contains(secret) || inPath.contains(secret), lines::toString);
    }

    private static HttpResponse<String> executeDemo(StockTomcat tomcat, boolean async) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.put("apiKey", DemoHome.DEMO_API_KEY);
        body.put("appId", DEMO_APP_ID);
        ObjectNode operation = body.putObject("operation");
        operation.put("opName", "RunScenario");
        ObjectNode opParams = operation.putObject("opParams");
        opParams.put("scenario", "Main");
        opParams.putObject("parameters");
        body.put("isAsync", async);

        return send(HttpRequest.newBuilder(tomcat.uri("/api/v1/executeJob.jsp"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    /**
     * Checks the success envelope (HTTP 200, JSON content type, {@code status} "success" and
     * written last) and returns its {@code result}.
     */
    private static JsonNode successResult(HttpResponse<String> response) throws IOException {
        return envelope(response, "success").get("result");
    }

    private static JsonNode envelope(HttpResponse<String> response, String expectedStatus) throws IOException {
        assertEquals(200, response.statusCode(), () -> response.request().uri() + ": " + response.body());
        assertJsonContentType(response);
        JsonNode envelope = JSON.readTree(response.body());
        assertEquals(expectedStatus, envelope.path("status").asText(), () -> "envelope: " + response.body());
        List<String> fields = new ArrayList<>();
        envelope.fieldNames().forEachRemaining(fields::add);
        assertEquals("status", fields.get(fields.size() - 1), () -> "status is not the last field: " + fields);
        assertTrue(envelope.path("result").isObject(), () -> "envelope: " + response.body());
        return envelope;
    }

    /**
     * Checks the error envelope (HTTP 200, the default of {@code api.httpErrorStatus}; JSON
     * content type; {@code status} "error" and written last) and returns its {@code result}.
     */
    private static JsonNode errorResult(HttpResponse<String> response) throws IOException {
        JsonNode envelope = envelope(response, "error");
        assertTrue(envelope.path("result").path("message").isTextual(), () -> "no message: " + response.body());
        return envelope.get("result");
    }

    /** The demo's result (CONTRACT section 8): one set "companies", IBM and Microsoft. */
    private static void assertCompaniesResult(JsonNode result) {
        JsonNode results = result.path("results");
        assertTrue(results.isArray(), () -> "result.results: " + result);
        assertEquals(1, results.size(), () -> "result.results: " + results);
        JsonNode companies = results.get(0);
        assertEquals("companies", companies.path("name").asText(), companies::toString);

        List<String> columns = new ArrayList<>();
        companies.path("result").path("schema").forEach(column -> columns.add(column.path("name").asText()));
        assertEquals(List.of("id", "company_name"), columns, () -> "schema: " + companies);

        JsonNode expectedRecords = JSON.valueToTree(List.of(
                Map.of("id", "1", "company_name", "IBM"),
                Map.of("id", "2", "company_name", "Microsoft")));
        assertEquals(expectedRecords, companies.path("result").path("records"));
    }

    private static void assertJsonContentType(HttpResponse<String> response) {
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        assertEquals("application/json;charset=utf-8", contentType.replace(" ", "").toLowerCase(Locale.ROOT),
                () -> "Content-Type: " + contentType);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.timeout(REQUEST_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String randomSecret() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return "itsecret" + HexFormat.of().formatHex(bytes);
    }

    private static List<Path> distributions() {
        String value = System.getProperty("infolink.it.tomcats", "");
        List<Path> homes = Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(entry -> !entry.isEmpty())
                .map(Path::of)
                .collect(Collectors.toList());
        if (homes.isEmpty()) {
            fail("the system property infolink.it.tomcats names no Tomcat distribution: run this test with mvn verify");
        }
        for (Path home : homes) {
            assertTrue(Files.isDirectory(home), () -> "no such distribution: " + home);
        }
        return homes;
    }

    private static StockTomcat.Options options(Path home) {
        Path war = Path.of(System.getProperty("infolink.it.war", "target/infolink.war"));
        String heap = System.getProperty("infolink.it.heap", "256m");
        // a fixed heap, as the README's drop-in steps say
        return StockTomcat.Options.forDistribution(home)
                .war(war)
                .contextFile(CONTEXT_FILE)
                .jvmOption("-Xms" + heap)
                .jvmOption("-Xmx" + heap)
                .unsetEnvironment("INFOLINK_HOME")
                .startTimeout(Duration.ofMinutes(2))
                .stopTimeout(Duration.ofSeconds(30));
    }

    private Deployment deploy(String name, StockTomcat.Options options) {
        Deployment deployment = new Deployment(name, options);
        deployments.add(deployment);
        return deployment;
    }

    /**
     * One Tomcat of a test group: started by the first test that needs it, once; a start-up
     * failure is reported by every test of the group. Used by one test thread.
     */
    private static final class Deployment implements AutoCloseable {
        private final String name;
        private final StockTomcat.Options options;
        private StockTomcat tomcat;
        private Exception startFailure;

        Deployment(String name, StockTomcat.Options options) {
            this.name = name;
            this.options = options;
        }

        StockTomcat tomcat() throws Exception {
            if (tomcat == null && startFailure == null) {
                try {
                    tomcat = StockTomcat.start(options);
                    System.out.printf("%s ready in %d ms at %s (pid %d, base %s)%n", name,
                            tomcat.startupDuration().toMillis(), tomcat.baseUrl(), tomcat.pid(), tomcat.catalinaBase());
                } catch (IOException | RuntimeException e) {
                    startFailure = e;
                    throw e;
                }
            }
            if (startFailure != null) {
                throw new IllegalStateException(name + " did not start (see the group's first test)", startFailure);
            }
            return tomcat;
        }

        /** The Tomcat after its "stops cleanly" test: fails if it is still running. */
        StockTomcat stoppedTomcat() throws Exception {
            StockTomcat stopped = tomcat();
            assertFalse(stopped.isAlive(), name + " is still running");
            return stopped;
        }

        @Override
        public void close() {
            if (tomcat != null) {
                tomcat.close();
            }
        }
    }
}
