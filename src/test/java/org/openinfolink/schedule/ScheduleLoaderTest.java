package org.openinfolink.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openinfolink.scenario.App;
import org.openinfolink.scenario.AppLoader;
import org.openinfolink.sql.SqlDialect;
import org.openinfolink.testsupport.TestHome;

/** {@code schedules:} of app.yaml read and validated: each bad schedule has its reason, the others load. */
class ScheduleLoaderTest {

    private static final Instant NOW = Instant.parse("2027-01-15T10:00:00Z");

    private final TestHome home = TestHome.create("schedules");

    private Map<String, List<ScheduleEntry>> load(String schedulesYaml, ScheduleLoader loader) {
        home.app("7", "name: CRM\n" + schedulesYaml);
        home.scenario("7", "Main", """
                parameters:
                  country: {type: text, required: true}
                  minId:   {type: integer, default: 0}
                steps:
                  - opName: Transform
                    opParams:
                      query: SELECT id FROM companies WHERE country = ${country} AND id >= ${minId}
                      returnResult: true
                      resultName: companies
                """);
        home.scenario("7", "Broken", """
                steps:
                  - opName: Transform
                    opParams:
                      returnResult: true
                """);
        Map<String, App> apps = new AppLoader(name -> null, SqlDialect.H2).load(home.path());
        return loader.load(home.path(), apps);
    }

    private ScheduleEntry only(String scheduleYaml) {
        ScheduleLoader loader = new ScheduleLoader(NOW);
        List<ScheduleEntry> entries = load("schedules:\n  nightly:\n" + scheduleYaml.indent(4), loader).get("7");
        assertEquals(1, entries.size(), entries.toString());
        ScheduleEntry entry = entries.get(0);
        if (!entry.isValid()) {
            assertEquals(List.of(home.path().resolve("apps/7/app.yaml") + ": schedules.nightly: "
                    + entry.invalidReason()), loader.problems());
        }
        return entry;
    }

    private String reason(String scheduleYaml) {
        ScheduleEntry entry = only(scheduleYaml);
        assertFalse(entry.isValid(), "should be invalid: " + entry);
        assertNull(entry.schedule());
        return entry.invalidReason();
    }

    @Test
    void aFullScheduleIsRead() {
        ScheduleEntry entry = only("""
                scenario: Main
                cron: "0 0 2 * * ?"
                timeZone: Europe/Berlin
                parameters: {country: US, minId: "5"}
                enabled: false
                misfire: skip
                """);
        assertTrue(entry.isValid(), entry.toString());
        Schedule schedule = entry.schedule();
        assertEquals("7", schedule.appId());
        assertEquals("nightly", schedule.name());
        assertEquals("Main", schedule.scenario());
        assertEquals("0 0 2 * * ?", schedule.cron());
        assertEquals(ZoneId.of("Europe/Berlin"), schedule.timeZone());
        assertEquals(Map.of("country", "US", "minId", "5"), schedule.parameters());
        assertFalse(schedule.enabled());
        assertEquals(Misfire.SKIP, schedule.misfire());
        assertEquals("schedule:nightly", schedule.author());
        assertEquals("nightly-20270115T010000Z", schedule.jobId(Instant.parse("2027-01-15T01:00:00Z")));
        assertEquals("{\"opName\":\"RunScenario\",\"opParams\":{\"parameters\":{\"country\":\"US\",\"minId\":\"5\"},"
                + "\"scenario\":\"Main\"}}", schedule.operation().toString());
    }

    @Test
    void defaultsAreUtcEnabledAndRunOnce() {
        Schedule schedule = only("""
                scenario: Main
                cron: "*/2 * * * * ?"
                parameters: {country: DE}
                """).schedule();
        assertEquals(ZoneId.of("UTC"), schedule.timeZone());
        assertTrue(schedule.enabled());
        assertEquals(Misfire.RUN_ONCE, schedule.misfire());
        assertEquals(Instant.parse("2027-01-15T10:00:02Z"), schedule.nextFireAfter(NOW).orElseThrow());
    }

    @Test
    void aBadCronIsInvalid() {
        // Quartz needs ? in day-of-month or day-of-week
        String reason = reason("""
                scenario: Main
                cron: "0 0 2 * * *"
                parameters: {country: US}
                """);
        assertTrue(reason.startsWith("cron: '0 0 2 * * *' is not a valid Quartz cron expression: "), reason);
        assertTrue(reason("""
                scenario: Main
                cron: "0 0 25 * * ?"
                parameters: {country: US}
                """).startsWith("cron: '0 0 25 * * ?' is not a valid Quartz cron expression: "));
        assertTrue(reason("""
                scenario: Main
                cron: "every night"
                parameters: {country: US}
                """).startsWith("cron: 'every night' is not a valid Quartz cron expression: "));
        assertEquals("cron: is required, a Quartz cron expression with seconds first, e.g. \"0 0 2 * * ?\"", reason("""
                scenario: Main
                parameters: {country: US}
                """));
    }

    @Test
    void aCronWithNoFireTimeLeftIsInvalid() {
        assertEquals("cron: '0 0 0 1 1 ? 2020' has no fire time after 2027-01-15T10:00:00Z", reason("""
                scenario: Main
                cron: "0 0 0 1 1 ? 2020"
                parameters: {country: US}
                """));
        assertEquals("cron: '0 0 0 30 2 ?' has no fire time after 2027-01-15T10:00:00Z", reason("""
                scenario: Main
                cron: "0 0 0 30 2 ?"
                parameters: {country: US}
                """));
    }

    @Test
    void anUnknownOrInvalidScenarioIsInvalid() {
        assertEquals("scenario: unknown scenario 'Mian' in app '7'", reason("""
                scenario: Mian
                cron: "0 0 2 * * ?"
                """));
        assertEquals("scenario: scenario 'Broken' is invalid: step 1: query is required", reason("""
                scenario: Broken
                cron: "0 0 2 * * ?"
                """));
        assertEquals("scenario: is required", reason("""
                cron: "0 0 2 * * ?"
                """));
    }

    @Test
    void badParametersAreInvalid() {
        assertEquals("parameters: Parameter 'country' of scenario 'Main' is required.", reason("""
                scenario: Main
                cron: "0 0 2 * * ?"
                """));
        assertEquals("parameters: Parameter 'minId' of scenario 'Main' must be an integer, got 'many'.", reason("""
                scenario: Main
                cron: "0 0 2 * * ?"
                parameters: {country: US, minId: many}
                """));
        assertEquals("parameters: Scenario 'Main' has no parameter 'region'.", reason("""
                scenario: Main
                cron: "0 0 2 * * ?"
                parameters: {country: US, region: EU}
                """));
        assertEquals("parameters.country: must be a single value", reason("""
                scenario: Main
                cron: "0 0 2 * * ?"
                parameters: {country: [US, DE]}
                """));
    }

    @Test
    void aBadTimeZoneIsInvalid() {
        assertEquals("timeZone: unknown time zone 'Europe/Berlinn'; use an IANA name such as Europe/Berlin, or UTC",
                reason("""
                        scenario: Main
                        cron: "0 0 2 * * ?"
                        timeZone: Europe/Berlinn
                        parameters: {country: US}
                        """));
    }

    @Test
    void aBadMisfireOrEnabledValueIsInvalid() {
        assertEquals("misfire: must be runOnce or skip, got 'always'", reason("""
                scenario: Main
                cron: "0 0 2 * * ?"
                parameters: {country: US}
                misfire: always
                """));
        assertEquals("enabled: must be true or false, got 'maybe'", reason("""
                scenario: Main
                cron: "0 0 2 * * ?"
                parameters: {country: US}
                enabled: maybe
                """));
    }

    @Test
    void anUnknownKeyIsInvalid() {
        assertEquals("timezone: unknown key; expected one of scenario, cron, timeZone, parameters, enabled, misfire",
                reason("""
                        scenario: Main
                        cron: "0 0 2 * * ?"
                        timezone: Europe/Berlin
                        parameters: {country: US}
                        """));
    }

    @Test
    void aNameThatCannotBeginAJobIdIsInvalid() {
        ScheduleLoader loader = new ScheduleLoader(NOW);
        List<ScheduleEntry> entries = load("""
                schedules:
                  "nightly load":
                    scenario: Main
                    cron: "0 0 2 * * ?"
                    parameters: {country: US}
                """, loader).get("7");
        assertEquals("the name must be 1-111 characters of A-Z a-z 0-9 . _ : - (it begins each fire's job id)",
                entries.get(0).invalidReason());
    }

    @Test
    void anInvalidScheduleLeavesTheOthersWorking() {
        ScheduleLoader loader = new ScheduleLoader(NOW);
        List<ScheduleEntry> entries = load("""
                schedules:
                  first:
                    scenario: Main
                    cron: "0 0 1 * * ?"
                    parameters: {country: US}
                  broken:
                    scenario: Main
                    cron: "0 0 1 * * * *"
                    parameters: {country: US}
                  last:
                    scenario: Main
                    cron: "0 0 3 * * ?"
                    parameters: {country: DE}
                """, loader).get("7");
        assertEquals(List.of("first", "broken", "last"), entries.stream().map(ScheduleEntry::name).toList());
        assertTrue(entries.get(0).isValid());
        assertFalse(entries.get(1).isValid());
        assertEquals("0 0 1 * * * *", entries.get(1).cron());
        assertEquals("Main", entries.get(1).scenario());
        assertTrue(entries.get(2).isValid());
        assertEquals(1, loader.problems().size(), loader.problems().toString());
        assertTrue(loader.problems().get(0).contains("schedules.broken: cron: "), loader.problems().toString());
    }

    @Test
    void schedulesThatAreNotAMappingAreReportedAndTheAppKeepsWorking() {
        ScheduleLoader loader = new ScheduleLoader(NOW);
        home.app("7", "name: CRM\nschedules: [nightly]\n");
        home.scenario("7", "Main", """
                steps:
                  - opName: Transform
                    opParams:
                      query: SELECT 1 AS one
                      returnResult: true
                      resultName: one
                """);
        Map<String, App> apps = new AppLoader(name -> null, SqlDialect.H2).load(home.path());
        assertTrue(apps.get("7").isValid(), apps.toString());
        assertEquals(Map.of(), loader.load(home.path(), apps));
        assertEquals(List.of(home.path().resolve("apps/7/app.yaml") + ": schedules: must be a mapping"),
                loader.problems());
    }

    @Test
    void anAppWithoutSchedulesHasNone() {
        ScheduleLoader loader = new ScheduleLoader(NOW);
        assertEquals(Map.of(), load("", loader));
        assertEquals(List.of(), loader.problems());
    }
}
