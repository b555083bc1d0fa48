package org.openinfolink.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openinfolink.testsupport.LogCapture;
import org.openinfolink.testsupport.Poll;

/**
 * Schedules on embedded Tomcat (CONTRACT section 14): getSchedules.jsp lists them with their last
 * and next fire, a schedule firing every 2 seconds makes jobs named after their fire times that
 * complete, and an invalid schedule is reported while the app's others fire.
 */
class SchedulesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern FIRE_ID = Pattern.compile("every2s-(\\d{8}T\\d{6}Z)");
    private static final DateTimeFormatter FIRE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private static ApiFixture fixture;
    private static EmbeddedServer server;
    private static Api api;
    private static String startupLog;
    private static LogCapture log;

    @BeforeAll
    static void start() throws Exception {
        fixture = new ApiFixture("schedules", null);
        fixture.home.app("7", """
                name: CRM
                schedules:
                  every2s:
                    scenario: Greet
                    cron: "*/2 * * * * ?"
                    parameters: {name: world}
                  broken:
                    scenario: Greet
                    cron: "*/2 * * * * *"
                    parameters: {name: world}
                  lost:
                    scenario: NoSuchScenario
                    cron: "*/2 * * * * ?"
                  nightly:
                    scenario: Companies
                    cron: "0 30 2 * * ?"
                    timeZone: Europe/Berlin
                    parameters: {country: DE}
                    misfire: skip
                  paused:
                    scenario: Greet
                    cron: "* * * * * ?"
                    parameters: {name: nobody}
                    enabled: false
                """);
        fixture.home.scenario("7", "Greet", """
                parameters:
                  name: {type: text, required: true}
                steps:
                  - opName: Transform
                    opParams:
                      query: SELECT ${name} AS greeting
                      returnResult: true
                      resultName: greeting
                """);
        log = LogCapture.start(Logger.getLogger("org.openinfolink"));
        server = new EmbeddedServer(fixture.home.path());
        startupLog = log.text();
        api = new Api(server);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            server.close();
        } finally {
            log.close();
        }
    }

    private static Api.Answer schedules(String apiKey, String appId) throws Exception {
        return api.get("/api/v1/getSchedules.jsp", Api.params("apiKey", apiKey, "appId", appId));
    }

    /** The fire times of the every2s jobs the store holds now, in order. */
    private static List<Instant> fires() throws Exception {
        Api.Answer jobs = api.get("/api/v1/getJobs.jsp", Api.params("apiKey", fixture.app7Key, "appId", "7",
                "scenario", "Greet", "limit", "500"));
        assertEquals("success", jobs.status(), jobs.toString());
        List<Instant> fires = new ArrayList<>();
        for (JsonNode job : jobs.result().path("jobs")) {
            Matcher matcher = FIRE_ID.matcher(job.path("jobId").asText());
            assertTrue(matcher.matches(), "only every2s fires: " + job);
            fires.add(FIRE_TIME.parse(matcher.group(1), Instant::from));
        }
        fires.sort(null);
        return fires;
    }

    @Test
    void aScheduleFiringEveryTwoSecondsMakesJobsNamedAfterTheirFireTimesThatComplete() throws Exception {
        List<Instant> fires = Poll.until(WAIT, SchedulesTest::fires, list -> list.size() >= 3, "three fires");
        for (int i = 0; i < fires.size(); i++) {
            Instant fire = fires.get(i);
            assertEquals(0, fire.getEpochSecond() % 2, "an even second: " + fire);
            if (i > 0) {
                assertEquals(Duration.ofSeconds(2), Duration.between(fires.get(i - 1), fire), "no fire missed: " + fires);
            }
        }
        String jobId = "every2s-" + FIRE_TIME.format(fires.get(0));
        Api.Answer done = api.awaitFinished(fixture.app7Key, "7", jobId, WAIT);
        JsonNode result = done.result();
        assertEquals("completed", result.path("status").asText(), done.toString());
        assertEquals("Greet", result.path("scenario").asText());
        assertEquals("world", result.path("results").path(0).path("result").path("records").path(0)
                .path("greeting").asText(), done.toString());
        Instant submitted = Instant.parse(result.path("submittedAt").asText());
        assertFalse(submitted.isBefore(fires.get(0)), "not submitted before its fire time: " + result);
        Poll.until(WAIT, log::text, text -> text.contains("Job " + jobId + " of app 7 ended completed in "),
                "the fire's job logged");
        assertTrue(log.text().contains("(scenario Greet, client schedule:every2s, node "),
                "the schedule is the job's author: " + log.text());
        assertTrue(log.text().contains("action=executeJob who=schedule:every2s remoteAddress=- appId=7 jobId="
                + jobId + " outcome=OK"), "the fire is in the audit trail with the schedule as its author: " + log.text());

        // a fire is a normal job: a stop answers as for any finished job
        Api.Answer stop = api.get("/api/v1/stopJob.jsp", Api.params("apiKey", fixture.app7Key, "appId", "7",
                "jobId", jobId));
        assertEquals("already completed", stop.result().path("status").asText(), stop.toString());
    }

    @Test
    void getSchedulesListsEachScheduleWithItsLastAndNextFire() throws Exception {
        Poll.until(WAIT, () -> schedules(fixture.app7Key, "7"),
                answer -> answer.result().path("schedules").path(0).has("lastJobId"), "a first fire listed");
        Api.Answer answer = schedules(fixture.app7Key, "7");
        Instant now = Instant.now();
        assertEquals("success", answer.status(), answer.toString());
        assertTrue(answer.contentType().startsWith("application/json"), answer.contentType());
        assertEquals("7", answer.result().path("appId").asText());
        Map<String, JsonNode> byName = new TreeMap<>();
        List<String> names = new ArrayList<>();
        for (JsonNode schedule : answer.result().path("schedules")) {
            byName.put(schedule.path("name").asText(), schedule);
            names.add(schedule.path("name").asText());
        }
        assertEquals(List.of("every2s", "broken", "lost", "nightly", "paused"), names, "in the file's order");

        JsonNode every2s = byName.get("every2s");
        assertEquals("Greet", every2s.path("scenario").asText());
        assertEquals("*/2 * * * * ?", every2s.path("cron").asText());
        assertEquals("UTC", every2s.path("timeZone").asText());
        assertTrue(every2s.path("enabled").asBoolean());
        assertEquals("runOnce", every2s.path("misfire").asText());
        assertEquals("world", every2s.path("parameters").path("name").asText());
        assertFalse(every2s.has("invalid"));
        Instant lastFire = Instant.parse(every2s.path("lastFireAt").asText());
        assertEquals("every2s-" + FIRE_TIME.format(lastFire), every2s.path("lastJobId").asText());
        Instant next = Instant.parse(every2s.path("nextFireAt").asText());
        assertTrue(next.isAfter(lastFire) && next.getEpochSecond() % 2 == 0, every2s.toString());
        assertTrue(Duration.between(now, next).abs().compareTo(Duration.ofSeconds(4)) <= 0, every2s.toString());

        JsonNode nightly = byName.get("nightly");
        assertEquals("Europe/Berlin", nightly.path("timeZone").asText());
        assertEquals("skip", nightly.path("misfire").asText());
        assertFalse(nightly.has("lastFireAt"), nightly.toString());
        ZonedDateTime nextNightly = Instant.parse(nightly.path("nextFireAt").asText()).atZone(ZoneId.of("Europe/Berlin"));
        assertEquals(LocalTime.of(2, 30), nextNightly.toLocalTime(), nightly.toString());
        assertTrue(nextNightly.toInstant().isAfter(now)
                && nextNightly.toInstant().isBefore(now.plus(Duration.ofHours(26))), nightly.toString());

        JsonNode paused = byName.get("paused");
        assertFalse(paused.path("enabled").asBoolean(true));
        assertFalse(paused.has("nextFireAt"), "a disabled schedule has no next fire: " + paused);
        assertFalse(paused.has("lastFireAt"), paused.toString());

        JsonNode broken = byName.get("broken");
        assertEquals("*/2 * * * * *", broken.path("cron").asText());
        assertTrue(broken.path("invalid").asText().startsWith("cron: '*/2 * * * * *' is not a valid Quartz cron"
                + " expression: "), broken.toString());
        assertFalse(broken.has("nextFireAt"));
        assertEquals("scenario: unknown scenario 'NoSuchScenario' in app '7'", byName.get("lost").path("invalid")
                .asText());
    }

    @Test
    void invalidSchedulesAreReportedAtStartUpAndNeverFire() throws Exception {
        String appFile = fixture.home.path().resolve("apps/7/app.yaml").toString();
        assertTrue(startupLog.contains("A schedule of app '7' is invalid: " + appFile
                + ": schedules.broken: cron: '*/2 * * * * *' is not a valid Quartz cron expression: "), startupLog);
        assertTrue(startupLog.contains("A schedule of app '7' is invalid: " + appFile
                + ": schedules.lost: scenario: unknown scenario 'NoSuchScenario' in app '7'"), startupLog);
        // the valid schedule fires meanwhile; the invalid and the disabled ones never do
        Poll.until(WAIT, SchedulesTest::fires, list -> list.size() >= 2, "two fires of every2s");
        Api.Answer all = api.get("/api/v1/getJobs.jsp", Api.params("apiKey", fixture.app7Key, "appId", "7",
                "limit", "500"));
        for (JsonNode job : all.result().path("jobs")) {
            assertTrue(job.path("jobId").asText().startsWith("every2s-"), "only every2s fires: " + job);
        }
        // the scenarios are all still there
        Api.Answer scenarios = api.get("/api/v1/getScenarios.jsp", Api.params("apiKey", fixture.app7Key, "appId", "7"));
        assertEquals("success", scenarios.status(), scenarios.toString());
    }

    @Test
    void getSchedulesChecksTheKeyAndTheAppAsEveryEndpoint() throws Exception {
        Api.Answer noKey = api.get("/api/v1/getSchedules.jsp", Api.params("appId", "7"));
        assertEquals("error", noKey.status());
        assertEquals("MISSING_PARAMETER", noKey.code(), noKey.toString());
        assertEquals("INVALID_API_KEY", schedules("not-a-key", "7").code());
        assertEquals("ACCESS_DENIED", schedules(fixture.app8Key, "7").code());
        assertEquals("APP_NOT_FOUND", schedules(fixture.allAppsKey, "9").code());
        Api.Answer none = schedules(fixture.app8Key, "8");
        assertEquals("success", none.status(), none.toString());
        assertEquals(0, none.result().path("schedules").size(), none.toString());
        Api.Answer put = api.method("PUT", "/api/v1/getSchedules.jsp");
        assertEquals("METHOD_NOT_ALLOWED", put.code(), put.toString());
    }
}
