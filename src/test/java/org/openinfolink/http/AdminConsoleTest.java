package org.openinfolink.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openinfolink.testsupport.ContainerPools;

/**
 * The admin console over HTTP (CONTRACT section 11): nobody gets in without a console role, FORM
 * login and logout, every page for both roles, stopping a job only for an admin and only with the
 * session's CSRF token, and errors as HTML pages while the API's stay JSON.
 */
class AdminConsoleTest {

    private static ApiFixture fixture;
    private static EmbeddedServer server;
    private static Api api;

    @BeforeAll
    static void start() throws Exception {
        fixture = new ApiFixture("admin-console", null);
        server = new EmbeddedServer(fixture.home.path());
        server.addUser("ops", "0ps-pass", "infolink-admin");
        server.addUser("watcher", "w4tch", "infolink-viewer");
        server.addUser("stranger", "str4nge", "some-other-role");
        api = new Api(server);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void withoutLoginEveryPageShowsTheLoginForm() throws Exception {
        ConsoleSession anonymous = new ConsoleSession(server);
        for (String page : List.of("/admin/", "/admin/jobs", "/admin/apps", "/admin/clients", "/admin/audit",
                "/admin/job?app=7&id=x", "/admin/no-such-page")) {
            HttpResponse<String> answer = anonymous.get(page);
            assertEquals(200, answer.statusCode(), page);
            assertTrue(answer.body().contains("j_security_check"), page + ": " + answer.body());
            assertFalse(answer.body().contains("Effective settings"), page);
            assertEquals("text/html;charset=UTF-8", answer.headers().firstValue("Content-Type").orElse(""), page);
        }
    }

    @Test
    void anApiKeyOpensNothing() throws Exception {
        ConsoleSession anonymous = new ConsoleSession(server);
        HttpResponse<String> answer = anonymous.get("/admin/?apiKey=" + fixture.allAppsKey);
        assertTrue(answer.body().contains("j_security_check"));
    }

    @Test
    void aUserWithoutAConsoleRoleGetsAnHtmlRefusal() throws Exception {
        ConsoleSession stranger = new ConsoleSession(server);
        HttpResponse<String> answer = stranger.loginAndFollow("stranger", "str4nge");
        assertEquals(403, answer.statusCode());
        assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(answer.body().contains("infolink-admin or infolink-viewer"), answer.body());
    }

    @Test
    void aWrongPasswordShowsTheFormAgainWithAMessage() throws Exception {
        ConsoleSession guesser = new ConsoleSession(server);
        HttpResponse<String> answer = guesser.login("ops", "n0t-the-p4ss");
        assertEquals(200, answer.statusCode());
        assertTrue(answer.body().contains("id=\"login-error\""), answer.body());
        assertFalse(answer.body().contains("n0t-the-p4ss"), "the password is never shown");
    }

    @Test
    void theAdminSeesEveryPageAndLogsOut() throws Exception {
        ConsoleSession ops = new ConsoleSession(server);
        HttpResponse<String> overview = ops.loginAndFollow("ops", "0ps-pass");
        assertEquals(200, overview.statusCode(), overview.body());
        assertTrue(overview.body().contains("<h1>Overview</h1>"), overview.body());
        for (String page : List.of("/admin/apps", "/admin/jobs", "/admin/clients", "/admin/audit")) {
            HttpResponse<String> answer = ops.get(page);
            assertEquals(200, answer.statusCode(), page + ": " + answer.body());
        }
        HttpResponse<String> logout = ops.postForm("/admin/", "/admin/logout", Map.of());
        assertEquals(302, logout.statusCode(), logout.body());
        assertTrue(ops.get("/admin/").body().contains("j_security_check"), "logged out");
    }

    @Test
    void onlyAnAdminWithTheSessionsTokenStopsAJob() throws Exception {
        Api.Answer started = api.post("/api/v1/executeJob.jsp", Api.runScenario(fixture.allAppsKey, "7", "Slow", true));
        String jobId = started.result().path("jobId").asText();
        api.awaitState(fixture.allAppsKey, "7", jobId, "running", Duration.ofSeconds(10));
        String jobPage = "/admin/job?app=7&id=" + jobId;
        Map<String, String> job = Map.of("app", "7", "id", jobId);

        ConsoleSession watcher = new ConsoleSession(server);
        watcher.loginAndFollow("watcher", "w4tch");
        HttpResponse<String> page = watcher.get(jobPage);
        assertFalse(page.body().contains("id=\"stop-button\""), "a viewer gets no Stop button");
        HttpResponse<String> refused = watcher.postForm(jobPage, "/admin/job/stop", job);
        assertEquals(403, refused.statusCode());
        assertTrue(refused.body().contains("infolink-admin"), refused.body());

        ConsoleSession ops = new ConsoleSession(server);
        ops.loginAndFollow("ops", "0ps-pass");
        assertTrue(ops.get(jobPage).body().contains("id=\"stop-button\""));
        HttpResponse<String> noToken = ops.post("/admin/job/stop", job);
        assertEquals(403, noToken.statusCode());
        assertTrue(noToken.body().contains("CSRF"), noToken.body());
        HttpResponse<String> otherToken = ops.post("/admin/job/stop", Map.of("app", "7", "id", jobId,
                "csrf", ConsoleSession.csrfToken(watcher.get("/admin/").body())));
        assertEquals(403, otherToken.statusCode(), "another session's token");
        assertEquals("running", api.status(fixture.allAppsKey, "7", jobId).result().path("state").asText());

        HttpResponse<String> stopped = ops.postForm(jobPage, "/admin/job/stop", job);
        assertEquals(302, stopped.statusCode(), stopped.body());
        String afterStop = ops.follow(stopped).body();
        assertTrue(afterStop.contains("stop started"), afterStop);
        assertEquals("stopped", api.awaitFinished(fixture.allAppsKey, "7", jobId, Duration.ofSeconds(10)).result()
                .path("status").asText());
    }

    @Test
    void aFinishedJobsPageShowsItsRecords() throws Exception {
        ObjectNode body = Api.runScenario(fixture.allAppsKey, "7", "Companies", false);
        ((ObjectNode) body.path("operation").path("opParams").path("parameters")).put("country", "US");
        Api.Answer done = api.post("/api/v1/executeJob.jsp", body);
        String jobId = done.result().path("jobId").asText();
        assertEquals("completed", api.status(fixture.allAppsKey, "7", jobId).result().path("state").asText());

        ConsoleSession watcher = new ConsoleSession(server);
        watcher.loginAndFollow("watcher", "w4tch");
        HttpResponse<String> page = watcher.get("/admin/job?app=7&id=" + jobId);
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("<td class=\"\">IBM</td>"), page.body());
        assertTrue(page.body().contains("<td class=\"\">Microsoft</td>"), page.body());
        assertTrue(page.body().contains("2 record(s)"), page.body());
    }

    @Test
    void getNeverActs() throws Exception {
        ConsoleSession ops = new ConsoleSession(server);
        ops.loginAndFollow("ops", "0ps-pass");
        assertEquals(404, ops.get("/admin/job/stop?app=7&id=x").statusCode());
    }

    @Test
    void consoleErrorsAreHtmlAndApiErrorsStayJson() throws Exception {
        ConsoleSession ops = new ConsoleSession(server);
        ops.loginAndFollow("ops", "0ps-pass");
        HttpResponse<String> missing = ops.get("/admin/no-such-page");
        assertEquals(404, missing.statusCode());
        assertTrue(missing.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(missing.body().contains("id=\"error-message\""), missing.body());
        HttpResponse<String> noJob = ops.get("/admin/job?app=7&id=nope");
        assertEquals(404, noJob.statusCode());
        assertTrue(noJob.body().contains("has no job"), noJob.body());

        Api.Answer apiMissing = api.get("/api/v1/nothing.jsp", Map.of());
        assertEquals(404, apiMissing.httpStatus());
        assertTrue(apiMissing.contentType().startsWith("application/json"), apiMissing.contentType());
    }

    @Test
    void theAppsPageNamesEveryInvalidFileWithItsReason() throws Exception {
        ConsoleSession watcher = new ConsoleSession(server);
        watcher.loginAndFollow("watcher", "w4tch");
        String apps = watcher.get("/admin/apps").body();
        assertTrue(apps.contains("id=\"problems\""), apps);
        assertTrue(apps.contains("Broken.yaml"), "the invalid scenario's file is named");
        assertTrue(apps.contains("data-scenario=\"Companies\""), apps);
        assertTrue(apps.contains("country"), "the parameters are listed");
    }

    @Test
    void theOverviewShowsAContainerPoolThroughItsMxBeanInterface() throws Exception {
        ApiFixture own = new ApiFixture("admin-console-pool", null);
        String url = "jdbc:h2:mem:admin_console_pool;DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE";
        try (EmbeddedServer pooled = new EmbeddedServer(own.home.path(),
                context -> ContainerPools.addH2Infolink(context, url, 7))) {
            pooled.addUser("ops", "0ps-pass", "infolink-admin");
            ConsoleSession ops = new ConsoleSession(pooled);
            String overview = ops.loginAndFollow("ops", "0ps-pass").body();
            Matcher row = Pattern.compile("<tr class=\"\"><td>jdbc/infolink</td>\\s*<td class=\"number\">(\\d+)</td>"
                    + "\\s*<td class=\"number\">(\\d+)</td>\\s*<td class=\"number\">(\\d+)</td>").matcher(overview);
            assertTrue(row.find(), overview);
            assertEquals("7", row.group(3), "the container pool's maxTotal");
        }
    }

    @Test
    void theAuditPageShowsTheConsolesActionsWithFilters() throws Exception {
        Api.Answer started = api.post("/api/v1/executeJob.jsp", Api.runScenario(fixture.allAppsKey, "7", "Slow", true));
        String jobId = started.result().path("jobId").asText();
        api.awaitState(fixture.allAppsKey, "7", jobId, "running", Duration.ofSeconds(10));
        String jobPage = "/admin/job?app=7&id=" + jobId;
        new ConsoleSession(server).login("auditor-test", "n0-such-user");
        ConsoleSession watcher = new ConsoleSession(server);
        watcher.loginAndFollow("watcher", "w4tch");
        watcher.postForm(jobPage, "/admin/job/stop", Map.of("app", "7", "id", jobId));
        ConsoleSession ops = new ConsoleSession(server);
        ops.loginAndFollow("ops", "0ps-pass");
        ops.post("/admin/job/stop", Map.of("app", "7", "id", jobId, "csrf", "forged"));
        ops.postForm(jobPage, "/admin/job/stop", Map.of("app", "7", "id", jobId));

        String stops = ops.get("/admin/audit?action=console.stopJob&job=" + jobId).body();
        List<String> rows = Pattern.compile("<tr data-action=\"console.stopJob\">(.*?)</tr>", Pattern.DOTALL)
                .matcher(stops).results().map(match -> match.group(1).replaceAll("<[^>]+>", " ")
                        .replaceAll("\\s+", " ").strip()).toList();
        assertEquals(3, rows.size(), stops);
        assertTrue(rows.get(0).contains("ops") && rows.get(0).contains(" OK ") && rows.get(0).contains("stop started"),
                rows.get(0));
        assertTrue(rows.get(1).contains("ops") && rows.get(1).contains("INVALID_CSRF_TOKEN"), rows.get(1));
        assertTrue(rows.get(2).contains("watcher") && rows.get(2).contains("FORBIDDEN"), rows.get(2));
        assertTrue(rows.stream().allMatch(row -> row.contains("127.0.0.1")), rows.toString());
        assertFalse(stops.contains("data-action=\"console.login\""), "filtered by action");

        String logins = ops.get("/admin/audit?who=auditor-test").body();
        assertTrue(logins.contains("data-action=\"console.loginRefused\""), logins);
        assertFalse(logins.contains("n0-such-user"), "never the password typed");
        String opsLogins = ops.get("/admin/audit?action=console.login&who=ops").body();
        assertTrue(opsLogins.contains("as infolink-admin"), opsLogins);
        String apiCalls = ops.get("/admin/audit?action=executeJob&job=" + jobId).body();
        assertTrue(apiCalls.contains("all-apps"), "the API's own entries, by client name: " + apiCalls);
        assertTrue(ops.get("/admin/audit?from=yesterday").body().contains("id=\"filter-error\""));
    }

    @Test
    void theOverviewChartsTheJobsThatFinished() throws Exception {
        Api.Answer done = api.post("/api/v1/executeJob.jsp", Api.runScenario(fixture.allAppsKey, "8", "Hello", false));
        assertEquals("success", done.status(), done.toString());
        ConsoleSession watcher = new ConsoleSession(server);
        String overview = watcher.loginAndFollow("watcher", "w4tch").body();

        String jobPage = watcher.get("/admin/job?app=8&id=" + done.result().path("jobId").asText()).body();
        assertTrue(jobPage.contains("<td class=\"\">hello</td>"), "the result's records: " + jobPage);

        String hour = section(overview, "chart-finished-hour");
        assertTrue(hour.contains("<svg viewBox=\"0 0 600 180\""), hour);
        assertTrue(hour.contains("<rect class=\"bar completed\""), hour);
        assertTrue(hour.contains(">now</text>"), hour);
        String durations = section(overview, "chart-durations-hour");
        assertTrue(durations.contains("<rect class=\"bar completed\""), durations);
        assertTrue(durations.contains(">&lt; 100 ms</text>") || durations.contains(">&lt; 1 s</text>"), durations);
    }

    /** The figure with that id. */
    private static String section(String page, String id) {
        int start = page.indexOf("id=\"" + id + "\"");
        assertTrue(start >= 0, "no " + id + " in " + page);
        return page.substring(start, page.indexOf("</figure>", start));
    }
}
