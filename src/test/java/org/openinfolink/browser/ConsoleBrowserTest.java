package org.openinfolink.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openinfolink.auth.ApiKeys;
import org.openinfolink.http.Api;
import org.openinfolink.http.ApiFixture;
import org.openinfolink.http.EmbeddedServer;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The admin console in a real browser (CONTRACT section 11): headless Chromium logs in through the
 * FORM page, watches the live refresh of console.js bring a running job in, stops it as an admin
 * and fails to as a viewer, finds no key or hash on any page, shows a hostile value as text, fits a
 * phone, and takes the README's screenshots: into {@code target/screenshots/}, or with
 * {@code -Dinfolink.screenshots=docs} into the README's {@code docs/} (how they were made). One
 * server and one browser for the class; each test logs in as the user it needs.
 */
class ConsoleBrowserTest {

    /** Where the README's screenshots are written: {@code target/screenshots} unless told. */
    private static final Path SCREENSHOTS = Path.of(System.getProperty("infolink.screenshots", "target/screenshots"));
    private static final String ADMIN = "ops";
    private static final String ADMIN_PASSWORD = "0ps-pass";
    private static final String VIEWER = "watcher";
    private static final String VIEWER_PASSWORD = "w4tch";
    private static final String HOSTILE = "<script>window.__xss=1</script>";
    /** Long enough for a 2 s refresh to run a few times on a busy machine. */
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long MAX_PNG_BYTES = 300 * 1024;

    private static ApiFixture fixture;
    private static EmbeddedServer server;
    private static Api api;
    private static Browser browser;

    /** Keeps what the browser showed when a test failed, under target/browser-failures/. */
    @RegisterExtension
    static final TestWatcher FAILURE_SHOTS = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (browser == null) {
                return;
            }
            Path folder = Path.of("target", "browser-failures");
            String name = context.getRequiredTestMethod().getName();
            try {
                browser.screenshot(folder.resolve(name + ".png"));
                Files.writeString(folder.resolve(name + ".html"), browser.driver().getPageSource(),
                        StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                cause.addSuppressed(e);
            }
        }
    };

    @BeforeAll
    static void start() throws Exception {
        browser = Browser.start();
        fixture = new ApiFixture("console-browser", null);
        fixture.home.scenario("7", "Echo", """
                description: Answers its text parameter as it came
                parameters:
                  text: {type: text, required: true}
                steps:
                  - opName: Transform
                    title: echo
                    opParams:
                      query: SELECT CAST(${text} AS VARCHAR(1000)) AS echoed
                      returnResult: true
                      resultName: echo
                """);
        server = new EmbeddedServer(fixture.home.path());
        server.addUser(ADMIN, ADMIN_PASSWORD, "infolink-admin");
        server.addUser(VIEWER, VIEWER_PASSWORD, "infolink-viewer");
        api = new Api(server);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    // ---- the tests -----------------------------------------------------------------------------

    @Test
    void bothRolesLogInThroughTheFormAndLogOut() {
        for (String[] user : List.of(new String[] {ADMIN, ADMIN_PASSWORD, "admin"},
                new String[] {VIEWER, VIEWER_PASSWORD, "viewer"})) {
            loginAs(user[0], user[1]);
            assertEquals("Overview", text(By.tagName("h1")));
            assertFalse(text(By.id("node-id")).isBlank(), "the Overview names the node");
            assertEquals(user[0], text(By.id("user")));
            assertEquals(user[2], text(By.cssSelector(".who .role")));
            // the fragments (_header.jspf, _footer.jspf) are read as UTF-8 too
            assertEquals("Overview · InfoLink console", browser.driver().getTitle());
            String footer = text(By.cssSelector("footer.bottom"));
            assertTrue(footer.contains(" · node "), footer);

            browser.driver().findElement(By.cssSelector("#logout button")).click();
            browser.waitUpTo(WAIT).withMessage("the login form after logging out")
                    .until(d -> !d.findElements(By.id("login-submit")).isEmpty());
            assertTrue(browser.driver().findElements(By.id("node-id")).isEmpty());
            browser.open(server.url("/admin/"));
            assertFalse(browser.driver().findElements(By.id("login-submit")).isEmpty(),
                    "after logging out the console asks for a login again");
        }

        submitLogin(ADMIN, "n0t-the-p4ss");
        WebElement error = browser.waitUpTo(WAIT).withMessage("#login-error")
                .until(d -> d.findElements(By.id("login-error")).stream().findFirst().orElse(null));
        assertTrue(error.isDisplayed());
        assertTrue(browser.driver().findElements(By.id("node-id")).isEmpty(), "no Overview with a wrong password");
        assertFalse(browser.driver().getPageSource().contains("n0t-the-p4ss"));
    }

    @Test
    void theJobsPageShowsANewRunningJobWithoutReloading() throws Exception {
        loginAs(ADMIN, ADMIN_PASSWORD);
        browser.open(server.url("/admin/jobs"));
        assertEquals("Jobs", text(By.tagName("h1")));
        browser.script("window.__sameDocument = 'jobs';");

        String jobId = startSlow();
        try {
            By row = By.cssSelector("tr[data-job-id='" + jobId + "']");
            browser.waitUpTo(WAIT).withMessage("job " + jobId + " running in the Jobs page")
                    .until(d -> d.findElements(row).stream()
                            .anyMatch(r -> r.findElement(By.cssSelector("td.state")).getText().equals("running")));
            assertEquals("jobs", browser.script("return window.__sameDocument;"), "the page was not reloaded");
            assertEquals("Slow", browser.waitUpTo(WAIT).withMessage("the scenario of job " + jobId)
                    .until(d -> d.findElement(row).findElements(By.tagName("td")).get(2).getText()));
        } finally {
            stopThroughApi(jobId);
        }
        By row = By.cssSelector("tr[data-job-id='" + jobId + "'] td.state");
        browser.waitUpTo(WAIT).withMessage("job " + jobId + " stopped in the Jobs page")
                .until(d -> d.findElement(row).getText().equals("stopped"));
        assertEquals("jobs", browser.script("return window.__sameDocument;"), "the page was not reloaded");
    }

    @Test
    void anAdminStopsARunningJobWithTheStopButton() throws Exception {
        String jobId = startSlow();
        try {
            loginAs(ADMIN, ADMIN_PASSWORD);
            browser.open(server.url("/admin/job?app=7&id=" + jobId));
            assertEquals(jobId, text(By.id("job-id")));
            assertEquals("running", text(By.id("job-state")));

            browser.driver().findElement(By.id("stop-button")).click();
            // read at once: the page reloads itself when the job has ended, and the notice is shown once
            String notice = browser.waitUpTo(WAIT).withMessage("the notice of the stop")
                    .until(d -> d.findElements(By.id("notice")).stream().map(WebElement::getText).findFirst()
                            .orElse(null));
            assertEquals("Job " + jobId + ": stop started.", notice);

            browser.waitUpTo(WAIT).withMessage("the Job page showing the job stopped")
                    .until(d -> d.findElement(By.id("job-state")).getText().equals("stopped"));
            assertTrue(browser.driver().findElements(By.id("stop-button")).isEmpty(), "no Stop button once stopped");
            assertEquals("stopped", api.awaitFinished(fixture.allAppsKey, "7", jobId, WAIT).result()
                    .path("status").asText());
        } finally {
            stopThroughApi(jobId);
        }
    }

    @Test
    void aViewerCannotStopAJobEvenWithAForgedForm() throws Exception {
        String jobId = startSlow();
        try {
            loginAs(VIEWER, VIEWER_PASSWORD);
            browser.open(server.url("/admin/job?app=7&id=" + jobId));
            assertEquals("running", text(By.id("job-state")));
            assertTrue(browser.driver().findElements(By.id("stop-button")).isEmpty(), "a viewer gets no Stop button");
            assertTrue(browser.driver().findElement(By.id("stop-needs-admin")).isDisplayed());

            // what a viewer could do by hand: the admin's form, with the viewer's own valid token
            browser.script("""
                    var form = document.createElement('form');
                    form.method = 'post';
                    form.action = arguments[0];
                    var token = document.querySelector('#logout input[name=csrf]').value;
                    var fields = {csrf: token, app: '7', id: arguments[1]};
                    for (var name in fields) {
                      var input = document.createElement('input');
                      input.type = 'hidden';
                      input.name = name;
                      input.value = fields[name];
                      form.appendChild(input);
                    }
                    document.body.appendChild(form);
                    form.submit();
                    """, EmbeddedServer.CONTEXT_PATH + "/admin/job/stop", jobId);
            browser.waitUpTo(WAIT).withMessage("the console's error page")
                    .until(d -> !d.findElements(By.id("error-status")).isEmpty());
            assertEquals("403", text(By.id("error-status")));
            assertEquals(403L, browser.script(
                    "return performance.getEntriesByType('navigation')[0].responseStatus;"), "the HTTP status");
            assertEquals("Not allowed", text(By.tagName("h1")));
            // past the CSRF check (its token was good), refused for the role
            assertTrue(text(By.id("error-message")).contains("needs the role infolink-admin"),
                    text(By.id("error-message")));

            assertEquals("running", api.status(fixture.allAppsKey, "7", jobId).result().path("state").asText());
            browser.open(server.url("/admin/job?app=7&id=" + jobId));
            assertEquals("running", text(By.id("job-state")));
        } finally {
            stopThroughApi(jobId);
        }
    }

    @Test
    void everyPageRendersWithoutAKeyOrAHash() throws Exception {
        String jobId = runSync(companies("US"));
        // a refused call with a key nobody has: it must not show up either
        String unknownKey = ApiKeys.newKey();
        assertEquals("error", api.post("/api/v1/executeJob.jsp", Api.runScenario(unknownKey, "7", "Companies", false))
                .status());
        List<String> secrets = new ArrayList<>();
        for (String key : List.of(fixture.allAppsKey, fixture.app7Key, fixture.adminKey, fixture.app8Key, unknownKey)) {
            secrets.add(key);
            secrets.add(sha256Hex(key));
            secrets.add(sha256Hex(key).toUpperCase(Locale.ROOT));
        }

        loginAs(ADMIN, ADMIN_PASSWORD);
        Map<String, String> pages = Map.of("/admin/", "Overview", "/admin/apps", "Apps", "/admin/jobs", "Jobs",
                "/admin/job?app=7&id=" + jobId, "Job " + jobId, "/admin/clients", "Clients", "/admin/audit", "Audit");
        for (Map.Entry<String, String> page : pages.entrySet()) {
            browser.open(server.url(page.getKey()));
            assertEquals(page.getValue(), text(By.tagName("h1")), page.getKey());
            String source = browser.driver().getPageSource();
            for (String secret : secrets) {
                assertFalse(source.contains(secret), page.getKey() + " shows a key or its hash");
            }
            String lower = source.toLowerCase(Locale.ROOT);
            assertFalse(lower.contains("clientsecretsha256"), page.getKey());
            assertFalse(lower.contains("keysha256"), page.getKey());
        }
        browser.open(server.url("/admin/clients"));
        List<WebElement> clients = browser.driver().findElements(By.cssSelector("#clients tbody tr"));
        assertEquals(4, clients.size(), "the Clients page lists every client");
        List<String> admin = clients.stream().map(tr -> tr.findElements(By.tagName("td")))
                .filter(cells -> cells.get(0).getText().equals("admin")).findFirst().orElseThrow()
                .stream().map(WebElement::getText).toList();
        assertEquals("RunScenario RunSourceScript SetVariable Transform", admin.get(2), "operations apart");
        browser.open(server.url("/admin/apps"));
        assertEquals("CRM 7", text(By.cssSelector("#app-7 h2")));
        assertTrue(browser.driver().findElement(By.cssSelector("tr[data-scenario='Broken']")).getText()
                .contains("query is required"));
    }

    @Test
    void aHostileParameterIsShownAsText() throws Exception {
        ObjectNode body = Api.runScenario(fixture.allAppsKey, "7", "Echo", false);
        ((ObjectNode) body.path("operation").path("opParams").path("parameters")).put("text", HOSTILE);
        String jobId = runSync(body);

        loginAs(ADMIN, ADMIN_PASSWORD);
        browser.open(server.url("/admin/job?app=7&id=" + jobId));
        assertEquals("completed", text(By.id("job-state")));
        List<WebElement> cells = browser.driver().findElements(By.cssSelector("#result-1 table.records tbody td"));
        assertEquals(1, cells.size(), "one record of one column");
        assertEquals(HOSTILE, cells.get(0).getText());
        assertTrue(text(By.id("operation")).contains("\"text\" : \"" + HOSTILE + "\""), text(By.id("operation")));
        assertEquals("undefined", browser.script("return typeof window.__xss;"));
        String source = browser.driver().getPageSource();
        assertTrue(source.contains("&lt;script&gt;window.__xss=1&lt;/script&gt;"), "escaped on the page");
        assertFalse(source.contains("<script>window.__xss"), "never markup");
        List<WebElement> scripts = browser.driver().findElements(By.tagName("script"));
        assertEquals(1, scripts.size(), "the console's own script is the only script");
        assertTrue(scripts.get(0).getDomAttribute("src").endsWith("/static/console.js"));
    }

    @Test
    void theOverviewFitsAPhone() {
        loginAs(ADMIN, ADMIN_PASSWORD);
        browser.phone();
        try {
            browser.open(server.url("/admin/"));
            assertEquals("Overview", text(By.tagName("h1")));
            assertEquals(390L, browser.script("return window.innerWidth;"), "the phone's viewport");
            long scrollWidth = (Long) browser.script("return document.documentElement.scrollWidth;");
            assertTrue(scrollWidth <= 390 + 1, "the page scrolls sideways: " + scrollWidth + " px wide");
            WebElement nav = browser.driver().findElement(By.cssSelector("header.top nav"));
            assertTrue(nav.isDisplayed(), "the navigation is shown");
            List<WebElement> links = nav.findElements(By.tagName("a"));
            assertEquals(5, links.size());
            for (WebElement link : links) {
                assertTrue(link.isDisplayed(), link.getText());
                assertTrue(link.getRect().getX() >= 0 && link.getRect().getX() + link.getRect().getWidth() <= 390,
                        link.getText() + " is inside the screen: " + link.getRect());
            }
        } finally {
            browser.desktop();
        }
    }

    @Test
    void screenshotsForTheReadme() throws Exception {
        String shown = runSync(companies("US"));
        runSync(companies("DE"));
        runSync(companies("US"));
        String failed = runSync(Api.runScenario(fixture.allAppsKey, "7", "FailsHalfway", false));
        assertEquals("completedWithError",
                api.status(fixture.allAppsKey, "7", failed).result().path("state").asText());
        String slow = startSlow();
        stopThroughApi(slow);
        assertEquals("stopped", api.status(fixture.allAppsKey, "7", slow).result().path("status").asText());

        loginAs(ADMIN, ADMIN_PASSWORD);
        browser.open(server.url("/admin/"));
        assertEquals("Overview", text(By.tagName("h1")));
        for (WebElement svg : browser.driver().findElements(By.cssSelector("figure.chart svg"))) {
            assertEquals("0 0 600 180", svg.getDomAttribute("viewBox"));
            int right = svg.getRect().getX() + svg.getRect().getWidth();
            for (WebElement label : svg.findElements(By.cssSelector("text.x-label"))) {
                assertTrue(label.getRect().getX() + label.getRect().getWidth() <= right, label.getText() + " cut off");
            }
        }
        WebElement perMinute = browser.driver().findElement(By.cssSelector("#chart-finished-hour svg"));
        List<WebElement> bars = perMinute.findElements(By.cssSelector("rect.bar"));
        assertEquals(Set.of("bar completed", "bar completedWithError", "bar stopped"),
                bars.stream().map(bar -> bar.getDomAttribute("class")).collect(Collectors.toSet()),
                "the last hour's bars");
        for (WebElement bar : bars) {
            assertTrue(bar.getRect().getHeight() > 0 && bar.getRect().getX() + bar.getRect().getWidth()
                    <= perMinute.getRect().getX() + perMinute.getRect().getWidth(), "drawn inside its chart");
        }
        Path overview = SCREENSHOTS.resolve("console-overview.png");
        browser.fullPageScreenshot(overview);

        browser.open(server.url("/admin/job?app=7&id=" + shown));
        assertEquals("completed", text(By.id("job-state")));
        assertEquals(2, browser.driver().findElements(By.cssSelector("#trace tbody tr")).size(), "two steps");
        assertEquals(2, browser.driver().findElements(By.cssSelector("#result-1 table.records tbody tr")).size(),
                "IBM and Microsoft");
        Path job = SCREENSHOTS.resolve("console-job.png");
        browser.fullPageScreenshot(job);

        for (Path png : List.of(overview, job)) {
            byte[] bytes = Files.readAllBytes(png);
            assertTrue(bytes.length > 1000 && bytes.length < MAX_PNG_BYTES, png + ": " + bytes.length + " bytes");
            assertEquals("\u0089PNG", new String(bytes, 0, 4, StandardCharsets.ISO_8859_1), png + " is a PNG");
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Logs in through the FORM page from a fresh session and waits for the Overview. */
    private static void loginAs(String user, String password) {
        submitLogin(user, password);
        browser.waitUpTo(WAIT).withMessage("the Overview after logging in as " + user)
                .until(d -> !d.findElements(By.id("node-id")).isEmpty());
    }

    private static void submitLogin(String user, String password) {
        browser.driver().manage().deleteAllCookies();
        browser.open(server.url("/admin/"));
        WebElement name = browser.driver().findElement(By.name("j_username"));
        name.clear();
        name.sendKeys(user);
        browser.driver().findElement(By.name("j_password")).sendKeys(password);
        browser.driver().findElement(By.id("login-submit")).click();
    }

    /** An element's text, found again when a live refresh replaced the element while it was read. */
    private static String text(By by) {
        return browser.waitUpTo(WAIT).withMessage(by.toString()).until(d -> d.findElement(by).getText());
    }

    private static ObjectNode companies(String country) {
        ObjectNode body = Api.runScenario(fixture.allAppsKey, "7", "Companies", false);
        ((ObjectNode) body.path("operation").path("opParams").path("parameters")).put("country", country);
        return body;
    }

    /** Runs a job synchronously; answers its id. */
    private static String runSync(ObjectNode body) throws Exception {
        Api.Answer answer = api.post("/api/v1/executeJob.jsp", body);
        String jobId = answer.result().path("jobId").asText();
        assertFalse(jobId.isEmpty(), answer.toString());
        return jobId;
    }

    /** Starts the scenario Slow, which runs until stopped, and waits until it runs. */
    private static String startSlow() throws Exception {
        Api.Answer started = api.post("/api/v1/executeJob.jsp",
                Api.runScenario(fixture.allAppsKey, "7", "Slow", true));
        assertEquals("success", started.status(), started.toString());
        String jobId = started.result().path("jobId").asText();
        api.awaitState(fixture.allAppsKey, "7", jobId, "running", WAIT);
        return jobId;
    }

    /** Stops a job through the API (a no-op once it has ended) and waits until it has. */
    private static void stopThroughApi(String jobId) throws Exception {
        api.get("/api/v1/stopJob.jsp", Api.params("apiKey", fixture.allAppsKey, "appId", "7", "jobId", jobId));
        api.awaitFinished(fixture.allAppsKey, "7", jobId, WAIT);
    }

    private static String sha256Hex(String text) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
