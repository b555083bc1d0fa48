package org.openinfolink.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openinfolink.http.TokenClient.basic;
import static org.openinfolink.http.TokenClient.form;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openinfolink.sql.DataSourceRegistry;
import org.openinfolink.testsupport.LogCapture;
import org.openinfolink.testsupport.Poll;

/**
 * The audit trail of the API (CONTRACT section 13) over real HTTP: executeJob and stopJob calls,
 * refused API keys and Bearer tokens on any endpoint, tokens issued and refused each give one row of
 * {@code il_audit} with who, app, job, outcome and remote address, and one line of the logger
 * {@code org.openinfolink.audit}; calls that only read are not recorded. No key, token, client
 * secret or password reaches a row or a line.
 */
class ApiAuditTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String LOCAL = "127.0.0.1";
    private static final String PASSWORD = "w0nderland-Pa55";

    /** One row of {@code il_audit}, as stored. */
    private record Row(String action, String who, String remoteAddress, String appId, String jobId, String outcome,
                       String detail) {
        /** The fields a test names in a row: action, who, app, job, outcome. */
        String brief() {
            return action + " " + who + " " + appId + " " + jobId + " " + outcome;
        }

        List<String> values() {
            List<String> values = new ArrayList<>(List.of(action, who, remoteAddress, outcome));
            for (String value : new String[] {appId, jobId, detail}) {
                if (value != null) {
                    values.add(value);
                }
            }
            return values;
        }
    }

    @Test
    void everyCallThatStartsOrStopsAJobOrIsRefusedAndEveryTokenIsRecordedWithoutASecret() throws Exception {
        ApiFixture fixture = new ApiFixture("audit", null);
        String batchSecret = fixture.home.credentialsClient("batch", List.of("7"));
        String unknownKey = "il_unknown-" + "k".repeat(30);
        String unknownToken = "ila_" + "t".repeat(43);
        List<String> secrets = new ArrayList<>(List.of(fixture.app7Key, fixture.allAppsKey, fixture.adminKey,
                fixture.app8Key, unknownKey, unknownToken, batchSecret, PASSWORD));
        String failedJob;
        String logged;
        try (LogCapture log = LogCapture.start(Logger.getLogger("org.openinfolink.audit"));
             EmbeddedServer server = new EmbeddedServer(fixture.home.path())) {
            server.addUser("alice", PASSWORD, "etl");
            Api api = new Api(server);
            TokenClient tokens = new TokenClient(server);

            ObjectNode slow = Api.runScenario(fixture.app7Key, "7", "Slow", true);
            slow.put("jobId", "audit-slow");
            assertEquals("success", api.post("/api/v1/executeJob.jsp", slow).status());
            api.awaitState(fixture.app7Key, "7", "audit-slow", "running", WAIT);
            assertEquals("stop started", api.get("/api/v1/stopJob.jsp", Api.params("apiKey", fixture.app7Key,
                    "appId", "7", "jobId", "audit-slow")).result().path("status").asText());
            api.awaitFinished(fixture.app7Key, "7", "audit-slow", WAIT);
            assertEquals("already completed", api.get("/api/v1/stop.jsp", Api.params("apiKey", fixture.app7Key,
                    "appId", "7", "jobId", "audit-slow")).result().path("status").asText());

            Api.Answer failed = api.post("/api/v1/executeJob.jsp", Api.runScenario(fixture.allAppsKey, "7",
                    "FailsHalfway", false));
            assertEquals("JOB_FAILED", failed.code());
            failedJob = failed.result().path("jobId").asText();
            assertEquals("ACCESS_DENIED", api.post("/api/v1/executeJob.jsp", Api.runScenario(fixture.app8Key, "7",
                    "Slow", true)).code());
            assertEquals("ACCESS_DENIED", api.get("/api/v1/stopJob.jsp", Api.params("apiKey", fixture.app8Key,
                    "appId", "7", "jobId", "audit-slow")).code());
            assertEquals("INVALID_JSON", api.post("/api/v1/executeJob.jsp", "{\"apiKey\": \"" + fixture.app7Key
                    + "\"").code());

            assertEquals("INVALID_API_KEY", api.post("/api/v1/executeJob.jsp", Api.runScenario(unknownKey, "7",
                    "Slow", true)).code());
            assertEquals("INVALID_API_KEY", api.status(unknownKey, "7", "audit-slow").code());
            assertEquals("INVALID_TOKEN", tokens.get(api, "/api/v1/getJobs.jsp?appId=7", unknownToken).code());
            assertEquals("success", api.status(fixture.app7Key, "7", "audit-slow").status());
            assertEquals("success", api.get("/api/v1/getJobs.jsp", Api.params("apiKey", fixture.app7Key,
                    "appId", "7")).status());

            TokenClient.Answer pair = tokens.clientCredentials("batch", batchSecret);
            TokenClient.Answer user = tokens.token(form("grant_type", "password", "username", "alice",
                    "password", PASSWORD), "Authorization", basic("batch", batchSecret));
            assertEquals(200, user.status(), user.toString());
            secrets.addAll(List.of(pair.accessToken(), pair.refreshToken(), user.accessToken(), user.refreshToken()));
            assertEquals("success", tokens.get(api, "/api/v1/getScenarios.jsp?appId=7", pair.accessToken())
                    .status());
            assertEquals("invalid_client", tokens.token(form("grant_type", "client_credentials",
                    "client_id", "batch", "client_secret", batchSecret + "x")).error());
            assertEquals("invalid_grant", tokens.token(form("grant_type", "password", "client_id", "batch",
                    "client_secret", batchSecret, "username", "alice", "password", PASSWORD + "x")).error());
            secrets.addAll(List.of(batchSecret + "x", PASSWORD + "x"));

            Poll.until(WAIT, () -> rows(fixture), found -> found.size() >= 14, "the 14 rows written while running");
            server.stopContext(); // the server closes its audit trail, which writes what it holds
            logged = log.text();
        }
        List<Row> rows = rows(fixture);

        assertEquals(List.of(
                "executeJob app7 7 audit-slow OK",
                "stopJob app7 7 audit-slow STOP_STARTED",
                "stopJob app7 7 audit-slow ALREADY_COMPLETED",
                "executeJob all-apps 7 " + failedJob + " OK",
                "executeJob app8 7 null ACCESS_DENIED",
                "stopJob app8 7 audit-slow ACCESS_DENIED",
                "executeJob - null null INVALID_JSON",
                "authenticationRefused - 7 null INVALID_API_KEY",
                "authenticationRefused - 7 audit-slow INVALID_API_KEY",
                "authenticationRefused - 7 null INVALID_TOKEN",
                "tokenIssued batch null null OK",
                "tokenIssued batch null null OK",
                "tokenRefused batch null null invalid_client",
                "tokenRefused batch null null invalid_grant"),
                rows.stream().map(Row::brief).toList(), "one row per call, in order, none for reading calls");
        assertEquals(Set.of(LOCAL), rows.stream().map(Row::remoteAddress).collect(Collectors.toSet()));
        assertEquals(List.of("RunScenario Slow, async", "RunScenario FailsHalfway, sync"), rows.stream()
                .filter(row -> row.action().equals("executeJob") && row.outcome().equals("OK"))
                .map(Row::detail).toList());
        assertEquals(List.of("executeJob", "getJobStatus", "getJobs"), rows.stream()
                .filter(row -> row.action().equals("authenticationRefused")).map(Row::detail).toList(),
                "the endpoint whose authentication was refused");
        assertEquals(List.of("client_credentials", "password, user alice"), rows.stream()
                .filter(row -> row.action().equals("tokenIssued")).map(Row::detail).toList());
        assertEquals(List.of("client_credentials: Client authentication failed.",
                "password, user alice: The user name or password is wrong."), rows.stream()
                .filter(row -> row.action().equals("tokenRefused")).map(Row::detail).toList());

        assertEquals(rows.size(), count(logged, "INFO: action="), "one log line per row: " + logged);
        assertTrue(logged.contains("INFO: action=executeJob who=app7 remoteAddress=127.0.0.1 appId=7 jobId=audit-slow"
                + " outcome=OK detail=\"RunScenario Slow, async\""), logged);
        assertTrue(logged.contains("INFO: action=authenticationRefused who=- remoteAddress=127.0.0.1 appId=7"
                + " outcome=INVALID_TOKEN detail=getJobs"), logged);
        assertTrue(logged.contains("INFO: action=tokenRefused who=batch remoteAddress=127.0.0.1"
                + " outcome=invalid_grant detail=\"password, user alice: The user name or password is wrong.\""),
                logged);

        for (String secret : secrets) {
            String part = secret.length() > 20 ? secret.substring(4, 20) : secret;
            for (Row row : rows) {
                for (String value : row.values()) {
                    assertFalse(value.contains(part), "a secret reached il_audit: " + row);
                }
            }
            assertFalse(logged.contains(part), "a secret reached the audit log");
        }
    }

    @Test
    void aWrongKeyOnAnEndpointThatOnlyReadsIsRecordedButARightOneIsNot() throws Exception {
        ApiFixture fixture = new ApiFixture("audit-read", null);
        try (EmbeddedServer server = new EmbeddedServer(fixture.home.path())) {
            Api api = new Api(server);
            assertEquals("success", api.get("/api/v1/getScenarios.jsp", Api.params("apiKey", fixture.app7Key,
                    "appId", "7")).status());
            assertEquals("MISSING_PARAMETER", api.get("/api/v1/getSchedules.jsp", Api.params("appId", "7")).code());
            assertEquals("INVALID_API_KEY", api.send(HttpRequest.newBuilder(URI.create(server.url(
                    "/api/v1/getScenarios.jsp?appId=8"))).header("X-API-Key", "nope").GET().build()).code());

            List<Row> rows = Poll.until(WAIT, () -> rows(fixture), found -> found.size() >= 2, "2 audit rows");

            assertEquals(List.of("authenticationRefused - 7 null MISSING_PARAMETER",
                    "authenticationRefused - 8 null INVALID_API_KEY"), rows.stream().map(Row::brief).toList());
            assertEquals(List.of("getSchedules", "getScenarios"), rows.stream().map(Row::detail).toList());
        }
    }

    /** Every row of {@code il_audit} in the server's embedded store, oldest first. */
    private static List<Row> rows(ApiFixture fixture) throws SQLException {
        String url = DataSourceRegistry.embeddedUrl(fixture.home.path().resolve("data"));
        List<Row> rows = new ArrayList<>();
        try (Connection store = DriverManager.getConnection(url, "sa", "");
             PreparedStatement select = store.prepareStatement("SELECT action, who, remote_address, app_id, job_id,"
                     + " outcome, detail FROM il_audit ORDER BY seq");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7)));
            }
        }
        return rows;
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
