package org.openinfolink.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openinfolink.testsupport.TestHome;

class SettingsTest {

    private static Path file(TestHome home) {
        return home.path().resolve("infolink.yaml");
    }

    /** Loads {@code yaml} as infolink.yaml and returns the refusal's message. */
    private static String refusal(String yaml) {
        TestHome home = TestHome.create("settings").settings(yaml);
        ConfigurationException error = assertThrows(ConfigurationException.class, () -> Settings.load(home.path()));
        String prefix = file(home) + ": ";
        assertTrue(error.getMessage().startsWith(prefix), "names the file: " + error.getMessage());
        return error.getMessage().substring(prefix.length());
    }

    @Test
    void defaultsAreThoseOfTheContract() {
        Settings d = Settings.defaults();
        assertEquals(4, d.jobs().maxConcurrent());
        assertEquals(1000, d.jobs().maxQueued());
        assertEquals(300, d.jobs().syncTimeoutSeconds());
        assertEquals(3600, d.jobs().defaultTimeoutSeconds());
        assertEquals(1_000_000L, d.jobs().maxResultRows());
        assertEquals(1000, d.jobs().statementFetchSize());
        assertEquals(0, d.jobs().statementTimeoutSeconds());
        assertEquals(1000, d.jobs().keepFinished());
        assertEquals(1440, d.jobs().keepFinishedMinutes());
        assertEquals(30, d.jobs().shutdownTimeoutSeconds());
        assertEquals(1_048_576L, d.api().maxRequestBytes());
        assertFalse(d.api().httpErrorStatus());
        assertEquals(90, d.audit().keepDays());
    }

    @Test
    void aHomeWithoutInfolinkYamlHasTheDefaults() {
        TestHome home = TestHome.create("settings-absent");
        assertEquals(Settings.defaults(), Settings.load(home.path()));
    }

    @Test
    void anEmptyFileOrEmptySectionsGiveTheDefaults() {
        assertEquals(Settings.defaults(), Settings.load(TestHome.create("settings-empty").settings("").path()));
        assertEquals(Settings.defaults(),
                Settings.load(TestHome.create("settings-comment").settings("# nothing yet\n").path()));
        assertEquals(Settings.defaults(),
                Settings.load(TestHome.create("settings-null").settings("jobs: ~\napi: {}\n").path()));
        assertEquals(Settings.defaults(), Settings.load(
                TestHome.create("settings-nulls").settings("jobs: {maxConcurrent: ~}\n").path()));
    }

    /**
     * A section whose settings are all commented out is an empty YAML value, which Jackson reads
     * as the empty string rather than null.
     */
    @Test
    void aSectionWhoseSettingsAreAllCommentedOutGivesTheDefaults() {
        TestHome home = TestHome.create("settings-commented").settings("""
                jobs:
                #  maxConcurrent: 8
                api:
                  httpErrorStatus: true
                """);
        Settings settings = Settings.load(home.path());
        assertEquals(Settings.defaults().jobs(), settings.jobs());
        assertTrue(settings.api().httpErrorStatus());
    }

    @Test
    void readsEverySetting() {
        TestHome home = TestHome.create("settings-all").settings("""
                jobs:
                  maxConcurrent: 7
                  maxQueued: 12
                  syncTimeoutSeconds: 45
                  defaultTimeoutSeconds: 600
                  maxResultRows: 5000000000
                  statementFetchSize: 250
                  statementTimeoutSeconds: 90
                  keepFinished: 77
                  keepFinishedMinutes: 15
                  shutdownTimeoutSeconds: 5
                api:
                  maxRequestBytes: 2048
                  httpErrorStatus: true
                auth:
                  tokenLifetimeSeconds: 600
                  refreshTokenLifetimeSeconds: 7200
                audit:
                  keepDays: 400
                """);
        Settings settings = Settings.load(home.path());
        assertEquals(new Settings(new Settings.Jobs(7, 12, 45, 600, 5_000_000_000L, 250, 90, 77, 15, 5, 15),
                new Settings.Api(2048, true), Settings.defaults().store(), new Settings.Auth(600, 7200),
                new Settings.Audit(400)), settings);
    }

    @Test
    void settingsNotGivenKeepTheirDefaults() {
        TestHome home = TestHome.create("settings-some").settings("jobs:\n  maxConcurrent: 2\n");
        Settings settings = Settings.load(home.path());
        assertEquals(2, settings.jobs().maxConcurrent());
        assertEquals(Settings.defaults().jobs().maxQueued(), settings.jobs().maxQueued());
        assertEquals(Settings.defaults().api(), settings.api());
        assertEquals(new Settings.Auth(1800, 86_400), settings.auth());
        assertEquals(new Settings.Audit(90), settings.audit());
    }

    @Test
    void theAuditTrailIsKeptForTheDaysSet() {
        Settings settings = Settings.load(TestHome.create("settings-audit").settings("audit:\n  keepDays: 7\n")
                .path());
        assertEquals(new Settings.Audit(7), settings.audit());
        assertEquals(Settings.defaults().jobs(), settings.jobs());

        String message = refusal("audit:\n  keepDay: 7\n");
        assertTrue(message.startsWith("audit.keepDay: unknown key; expected one of "), message);
        assertTrue(message.contains("keepDays"), message);
    }

    @Test
    void eachClientMayFillAQuarterOfTheQueueUnlessItsShareIsSet() {
        assertEquals(250, Settings.defaults().jobs().maxQueuedPerClient());
        assertEquals(3, Settings.load(TestHome.create("settings-share-default").settings("jobs:\n  maxQueued: 10\n")
                .path()).jobs().maxQueuedPerClient(), "a quarter of 10, rounded up");
        assertEquals(0, Settings.load(TestHome.create("settings-share-none").settings("jobs:\n  maxQueued: 0\n")
                .path()).jobs().maxQueuedPerClient());
        Settings set = Settings.load(TestHome.create("settings-share-set").settings(
                "jobs:\n  maxQueued: 10\n  maxQueuedPerClient: 10\n").path());
        assertEquals(10, set.jobs().maxQueuedPerClient());
    }

    @Test
    void anIntegerWrittenAsAStringIsAccepted() {
        TestHome home = TestHome.create("settings-string").settings("jobs:\n  maxConcurrent: \"8\"\n");
        assertEquals(8, Settings.load(home.path()).jobs().maxConcurrent());
    }

    @Test
    void theBoundsThemselvesAreAccepted() {
        TestHome home = TestHome.create("settings-bounds").settings("""
                jobs: {maxConcurrent: 1000, maxQueued: 0, syncTimeoutSeconds: 0, maxResultRows: 9223372036854775807}
                api: {maxRequestBytes: 64}
                """);
        Settings settings = Settings.load(home.path());
        assertEquals(1000, settings.jobs().maxConcurrent());
        assertEquals(0, settings.jobs().maxQueued());
        assertEquals(0, settings.jobs().syncTimeoutSeconds());
        assertEquals(Long.MAX_VALUE, settings.jobs().maxResultRows());
        assertEquals(64, settings.api().maxRequestBytes());
    }

    @Test
    void anUnknownTopLevelKeyIsRefusedNamingIt() {
        String message = refusal("jobs: {}\nserver: {port: 8080}\n");
        assertTrue(message.startsWith("server: unknown key; expected one of "), message);
        assertTrue(message.contains("jobs") && message.contains("api"), message);
    }

    @Test
    void aMisspeltSettingIsRefusedWithItsDottedKey() {
        String message = refusal("jobs:\n  maxConcurent: 8\n");
        assertTrue(message.startsWith("jobs.maxConcurent: unknown key; expected one of "), message);
        assertTrue(message.contains("maxConcurrent"), message);

        message = refusal("api:\n  httpErrorStatuses: true\n");
        assertTrue(message.startsWith("api.httpErrorStatuses: unknown key; expected one of "), message);
        assertTrue(message.contains("maxRequestBytes") && message.contains("httpErrorStatus"), message);
    }

    @Test
    void aSectionThatIsNotAMappingIsRefused() {
        assertEquals("jobs: must be a mapping", refusal("jobs: 4\n"));
        assertEquals("api: must be a mapping", refusal("api: [1, 2]\n"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "jobs: {maxConcurrent: abc}       | jobs.maxConcurrent: must be an integer, got 'abc'",
        "jobs: {maxQueued: 1.5}           | jobs.maxQueued: must be an integer, got '1.5'",
        "jobs: {statementFetchSize: true} | jobs.statementFetchSize: must be an integer, got 'true'",
        "api: {maxRequestBytes: 1MB}      | api.maxRequestBytes: must be an integer, got '1MB'",
        "api: {httpErrorStatus: maybe}    | api.httpErrorStatus: must be true or false, got 'maybe'",
        "api: {httpErrorStatus: 1}        | api.httpErrorStatus: must be true or false, got '1'",
        "audit: {keepDays: ninety}        | audit.keepDays: must be an integer, got 'ninety'",
    })
    void aValueOfTheWrongTypeIsRefusedNamingTheSetting(String yaml, String expected) {
        assertEquals(expected, refusal(yaml + "\n"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "jobs: {maxConcurrent: 0}                  | jobs.maxConcurrent: must be between 1 and 1000, got 0",
        "jobs: {maxConcurrent: 1001}               | jobs.maxConcurrent: must be between 1 and 1000, got 1001",
        "jobs: {maxQueued: -1}                     | jobs.maxQueued: must be between 0 and 1000000, got -1",
        "jobs: {syncTimeoutSeconds: 86401}         | jobs.syncTimeoutSeconds: must be between 0 and 86400, got 86401",
        "jobs: {defaultTimeoutSeconds: 0}          | jobs.defaultTimeoutSeconds: must be between 1 and 31536000, got 0",
        "jobs: {maxResultRows: 0}                  | jobs.maxResultRows: must be between 1 and 9223372036854775807, got 0",
        "jobs: {maxResultRows: 9223372036854775808} | jobs.maxResultRows: must be between 1 and 9223372036854775807, got 9223372036854775808",
        "jobs: {statementFetchSize: 0}             | jobs.statementFetchSize: must be between 1 and 1000000, got 0",
        "jobs: {statementTimeoutSeconds: -5}       | jobs.statementTimeoutSeconds: must be between 0 and 31536000, got -5",
        "jobs: {keepFinished: 10000001}            | jobs.keepFinished: must be between 0 and 10000000, got 10000001",
        "jobs: {keepFinishedMinutes: 525601}       | jobs.keepFinishedMinutes: must be between 0 and 525600, got 525601",
        "jobs: {shutdownTimeoutSeconds: 3601}      | jobs.shutdownTimeoutSeconds: must be between 0 and 3600, got 3601",
        "api: {maxRequestBytes: 63}                | api.maxRequestBytes: must be between 64 and 1073741824, got 63",
        "api: {maxRequestBytes: 1073741825}        | api.maxRequestBytes: must be between 64 and 1073741824, got 1073741825",
        "audit: {keepDays: 0}                      | audit.keepDays: must be between 1 and 36500, got 0",
        "audit: {keepDays: -3}                     | audit.keepDays: must be between 1 and 36500, got -3",
        "audit: {keepDays: 36501}                  | audit.keepDays: must be between 1 and 36500, got 36501",
    })
    void anOutOfRangeValueIsRefusedNamingTheSettingAndTheRange(String yaml, String expected) {
        assertEquals(expected, refusal(yaml + "\n"));
    }

    @Test
    void aFileThatIsNotYamlIsRefusedNamingTheFile() {
        String message = refusal("jobs: [maxConcurrent: 4\n");
        assertTrue(message.startsWith("not valid YAML: "), message);
    }

    @Test
    void aFileThatIsNotAMappingIsRefused() {
        assertEquals("must be a mapping of keys to values", refusal("- jobs\n- api\n"));
    }

    @Test
    void describeListsEverySettingWithItsValue() {
        Settings settings = new Settings(new Settings.Jobs(7, 12, 45, 600, 5_000_000_000L, 250, 90, 77, 15, 5, 3),
                new Settings.Api(2048, true), new Settings.Store("web-1", 2, 10, 500, true),
                new Settings.Auth(1800, 86400), new Settings.Audit(30));
        String description = settings.describe();
        assertEquals("jobs.maxConcurrent=7 jobs.maxQueued=12 jobs.syncTimeoutSeconds=45"
                + " jobs.defaultTimeoutSeconds=600 jobs.maxResultRows=5000000000 jobs.statementFetchSize=250"
                + " jobs.statementTimeoutSeconds=90 jobs.keepFinished=77 jobs.keepFinishedMinutes=15"
                + " jobs.shutdownTimeoutSeconds=5 jobs.keepFinishedMinMinutes=3 jobs.maxQueuedPerClient=3"
                + " api.maxRequestBytes=2048"
                + " api.httpErrorStatus=true store.nodeId=web-1 store.heartbeatSeconds=2 store.nodeTimeoutSeconds=10"
                + " store.purgeBatchSize=500 store.database=(store: in infolink.yaml)"
                + " auth.tokenLifetimeSeconds=1800 auth.refreshTokenLifetimeSeconds=86400 audit.keepDays=30",
                description);
    }

    /** Catches a setting added to a record but forgotten in {@code describe()}. */
    @Test
    void describeNamesEveryComponentOfTheSettingsRecords() throws ReflectiveOperationException {
        Settings settings = Settings.defaults();
        String description = " " + settings.describe() + " ";
        for (RecordComponent component : Settings.Jobs.class.getRecordComponents()) {
            Object value = component.getAccessor().invoke(settings.jobs());
            assertTrue(description.contains(" jobs." + component.getName() + "=" + value + " "),
                    component.getName() + " missing from " + description);
        }
        for (RecordComponent component : Settings.Api.class.getRecordComponents()) {
            Object value = component.getAccessor().invoke(settings.api());
            assertTrue(description.contains(" api." + component.getName() + "=" + value + " "),
                    component.getName() + " missing from " + description);
        }
        for (RecordComponent component : Settings.Auth.class.getRecordComponents()) {
            Object value = component.getAccessor().invoke(settings.auth());
            assertTrue(description.contains(" auth." + component.getName() + "=" + value + " "),
                    component.getName() + " missing from " + description);
        }
        for (RecordComponent component : Settings.Audit.class.getRecordComponents()) {
            Object value = component.getAccessor().invoke(settings.audit());
            assertTrue(description.contains(" audit." + component.getName() + "=" + value + " "),
                    component.getName() + " missing from " + description);
        }
    }
}
