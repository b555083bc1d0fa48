package org.openinfolink.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openinfolink.sql.SqlDialect;
import org.openinfolink.testsupport.LogCapture;
import org.openinfolink.testsupport.TestHome;

/** {@code app.yaml}: the app's name, sources, default source and variables, and how problems are reported. */
class AppLoaderTest {

    private static final String VALID_SCENARIO = """
            steps:
              - opName: Transform
                opParams: {query: SELECT 1 AS one, returnResult: true}
            """;

    private final TestHome home = TestHome.create("apps");
    private final Map<String, String> environment = new HashMap<>();
    private AppLoader loader;

    private Map<String, App> load() {
        loader = new AppLoader(environment::get, SqlDialect.H2);
        return loader.load(home.path());
    }

    private App loadApp(String appYaml) {
        home.app("7", appYaml);
        return load().get("7");
    }

    private Path appFile(String appId) {
        return home.path().resolve("apps").resolve(appId).resolve("app.yaml");
    }

    /** Loads {@code appYaml} as app 7 and returns why it is invalid, checking how that is reported. */
    private String refusal(String appYaml) {
        App app = loadApp(appYaml);
        assertFalse(app.isValid(), "app 7 should be invalid");
        String prefix = appFile("7") + ": ";
        assertTrue(app.invalidReason().startsWith(prefix), app.invalidReason());
        assertEquals(List.of(app.invalidReason()), loader.problems());
        return app.invalidReason().substring(prefix.length());
    }

    @Test
    void aHomeWithoutAppsHasNoApps() {
        assertEquals(Map.of(), load());
        assertEquals(List.of(), loader.problems());
    }

    @Test
    void aMinimalAppUsesTheDefaults() {
        App app = loadApp("name: CRM\n");
        assertTrue(app.isValid());
        assertNull(app.invalidReason());
        assertEquals("7", app.id());
        assertEquals("CRM", app.name());
        assertNull(app.description());
        assertEquals(Map.of(), app.sources());
        assertEquals("default", app.defaultSource());
        assertEquals(Map.of(), app.variables());
        assertEquals(Map.of(), app.scenarios());
        assertEquals(List.of(), loader.problems());
    }

    @Test
    void anEmptyAppYamlNamesTheAppAfterItsFolder() {
        App app = loadApp("");
        assertTrue(app.isValid());
        assertEquals("7", app.name());
    }

    @Test
    void readsTheWholeAppFormat() {
        environment.put("DW_PASSWORD", "s3cret");
        App app = loadApp("""
                name: CRM
                description: Customer master data
                sources:
                  crm:
                    jndi: java:comp/env/jdbc/crm
                  warehouse:
                    url: jdbc:postgresql://127.0.0.1:5432/dw
                    username: etl
                    password: ${env:DW_PASSWORD}
                    driverClassName: org.postgresql.Driver
                    pool: {maxTotal: 8, maxWaitMillis: 10000, validationQuery: SELECT 1, testOnBorrow: true}
                  local:
                    embedded: true
                defaultSource: crm
                variables:
                  region: EU
                  app.name: CRM
                  batch-size: 500
                  empty: ~
                """);
        assertTrue(app.isValid(), app.invalidReason());
        assertEquals("CRM", app.name());
        assertEquals("Customer master data", app.description());
        assertEquals(List.of("crm", "warehouse", "local"), List.copyOf(app.sources().keySet()));
        assertEquals(new SourceDefinition.Jndi("java:comp/env/jdbc/crm"), app.sources().get("crm"));
        assertEquals(new SourceDefinition.Pool("jdbc:postgresql://127.0.0.1:5432/dw", "etl", "s3cret",
                        "org.postgresql.Driver", Map.of("maxTotal", "8", "maxWaitMillis", "10000",
                                "validationQuery", "SELECT 1", "testOnBorrow", "true")),
                app.sources().get("warehouse"));
        assertEquals(new SourceDefinition.Embedded(), app.sources().get("local"));
        assertEquals("crm", app.defaultSource());
        assertEquals(List.of("region", "app.name", "batch-size", "empty"), List.copyOf(app.variables().keySet()));
        assertEquals(Map.of("region", "EU", "app.name", "CRM", "batch-size", "500", "empty", ""), app.variables());
        assertEquals(List.of(), loader.problems());
    }

    @Test
    void aPoolSourceNeedsNoUserOrPool() {
        App app = loadApp("sources:\n  h2: {url: \"jdbc:h2:mem:x\"}\n");
        assertEquals(new SourceDefinition.Pool("jdbc:h2:mem:x", null, null, null, Map.of()), app.sources().get("h2"));
    }

    @Test
    void thePasswordNeverShowsInTheSourcesText() {
        environment.put("DW_PASSWORD", "s3cret");
        App app = loadApp("sources:\n  dw: {url: \"jdbc:h2:mem:x\", username: etl, password: \"${env:DW_PASSWORD}\"}\n");
        String text = app.sources().get("dw").toString();
        assertFalse(text.contains("s3cret"), text);
        assertFalse(app.toString().contains("s3cret"), app.toString());
    }

    @Test
    void environmentReferencesAreReplacedInUrlUserAndPassword() {
        environment.put("DB_HOST", "db.example.org");
        environment.put("DB_USER", "etl");
        environment.put("DB_PASSWORD", "a$1\\b${x}");
        environment.put("EMPTY", "");
        App app = loadApp("""
                sources:
                  dw:
                    url: jdbc:postgresql://${env:DB_HOST}:5432/${env:DB_HOST}
                    username: ${env:DB_USER}${env:EMPTY}
                    password: "[${env:DB_PASSWORD}]"
                """);
        SourceDefinition.Pool pool = (SourceDefinition.Pool) app.sources().get("dw");
        assertEquals("jdbc:postgresql://db.example.org:5432/db.example.org", pool.url());
        assertEquals("etl", pool.username());
        assertEquals("[a$1\\b${x}]", pool.password(), "the value is inserted as it is, never expanded again");
    }

    @Test
    void onlyEnvReferencesAreReplaced() {
        App app = loadApp("sources:\n  dw: {url: \"jdbc:h2:mem:x\", password: \"${DW_PASSWORD}$env:X\"}\n");
        assertEquals("${DW_PASSWORD}$env:X", ((SourceDefinition.Pool) app.sources().get("dw")).password());
    }

    @Test
    void aMissingEnvironmentVariableIsReportedWithTheSetting() {
        environment.put("DW_USER", "etl");
        assertEquals("sources.warehouse.password: environment variable DW_PASSWORD is not set", refusal("""
                sources:
                  warehouse:
                    url: jdbc:postgresql://127.0.0.1:5432/dw
                    username: ${env:DW_USER}
                    password: ${env:DW_PASSWORD}
                """));
        assertEquals("sources.warehouse.url: environment variable DB_HOST is not set",
                refusal("sources:\n  warehouse: {url: \"jdbc:postgresql://${env:DB_HOST}/dw\"}\n"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "0", "-1", "forever", "1000000000", "1.5"
    })
    void anUnboundedOrInvalidMaxWaitIsRefused(String value) {
        assertEquals("sources.dw.pool.maxWaitMillis: must be a positive number of milliseconds"
                        + " (an unbounded wait is not allowed)",
                refusal("sources:\n  dw:\n    url: jdbc:h2:mem:x\n    pool: {maxWaitMillis: " + value + "}\n"));
    }

    @Test
    void everyDocumentedPoolSettingIsAccepted() {
        App app = loadApp("""
                sources:
                  dw:
                    url: jdbc:h2:mem:x
                    pool:
                      maxTotal: 8
                      maxIdle: 4
                      minIdle: 1
                      initialSize: 2
                      maxWaitMillis: 1
                      validationQuery: SELECT 1
                      validationQueryTimeout: 5
                      testOnBorrow: true
                      testWhileIdle: false
                      timeBetweenEvictionRunsMillis: 60000
                      minEvictableIdleTimeMillis: 300000
                      maxConnLifetimeMillis: 3600000
                      connectionProperties: ssl=true
                      defaultQueryTimeout: 30
                """);
        assertTrue(app.isValid(), app.invalidReason());
        assertEquals(14, ((SourceDefinition.Pool) app.sources().get("dw")).pool().size());
    }

    @Test
    void anUnknownPoolSettingIsRefused() {
        String reason = refusal("sources:\n  dw:\n    url: jdbc:h2:mem:x\n    pool: {maxSize: 8}\n");
        assertTrue(reason.startsWith("sources.dw.pool.maxSize: unknown key; expected one of "), reason);
        assertTrue(reason.contains("maxTotal") && reason.contains("maxWaitMillis"), reason);
    }

    @Test
    void aPoolSettingMustBeASingleValue() {
        assertEquals("sources.dw.pool.connectionProperties: must be a single value",
                refusal("sources:\n  dw:\n    url: jdbc:h2:mem:x\n    pool: {connectionProperties: {ssl: true}}\n"));
        assertEquals("sources.dw.pool: must be a mapping",
                refusal("sources:\n  dw:\n    url: jdbc:h2:mem:x\n    pool: 8\n"));
    }

    @Test
    void aSourceNeedsExactlyOneKind() {
        String expected = "sources.crm: needs exactly one of jndi, url or embedded: true";
        assertEquals(expected, refusal("sources:\n  crm: {jndi: java:comp/env/jdbc/crm, url: jdbc:h2:mem:x}\n"));
        assertEquals(expected, refusal("sources:\n  crm: {url: jdbc:h2:mem:x, embedded: true}\n"));
        assertEquals(expected, refusal("sources:\n  crm: {username: etl}\n"));
        assertEquals(expected, refusal("sources:\n  crm: {embedded: false}\n"));
        assertEquals(expected, refusal("sources:\n  crm: {}\n"));
    }

    @Test
    void aSourceThatIsNotAMappingIsRefused() {
        assertEquals("sources.crm: must be a mapping with jndi, or url/username/password",
                refusal("sources:\n  crm: java:comp/env/jdbc/crm\n"));
        assertEquals("sources: must be a mapping", refusal("sources: [crm]\n"));
    }

    @Test
    void anUnknownSourceKeyIsRefused() {
        String reason = refusal("sources:\n  crm: {jdni: java:comp/env/jdbc/crm}\n");
        assertTrue(reason.startsWith("sources.crm.jdni: unknown key; expected one of "), reason);
        assertTrue(reason.contains("jndi"), reason);
    }

    @Test
    void embeddedMustBeABoolean() {
        assertEquals("sources.local.embedded: must be true or false, got 'always'",
                refusal("sources:\n  local: {embedded: always}\n"));
    }

    @Test
    void theDefaultSourceMustNameASourceOfTheApp() {
        assertEquals("defaultSource: names no source of this app: 'warehouse'",
                refusal("sources:\n  crm: {jndi: java:comp/env/jdbc/crm}\ndefaultSource: warehouse\n"));
    }

    @Test
    void theDefaultSourceMayBeDefaultOrOneOfTheApps() {
        assertEquals("default", loadApp("defaultSource: default\n").defaultSource());
        assertEquals("crm", loadApp("sources:\n  crm: {jndi: x}\ndefaultSource: crm\n").defaultSource());
    }

    @Test
    void variablesMustHaveValidNamesAndScalarValues() {
        assertEquals("variables.1st: is not a valid variable name", refusal("variables:\n  1st: a\n"));
        assertEquals("variables.a b: is not a valid variable name", refusal("variables:\n  a b: a\n"));
        assertEquals("variables.regions: must be a string", refusal("variables:\n  regions: [EU, US]\n"));
        assertEquals("variables.region: must be a string", refusal("variables:\n  region: {code: EU}\n"));
        assertEquals("variables: must be a mapping", refusal("variables: [region]\n"));
    }

    /** YAML 1.1 reads an unquoted NO as false; a quoted value is kept as written. */
    @Test
    void quotedVariableValuesAreKeptAsWritten() {
        App app = loadApp("variables:\n  country: \"NO\"\n  code: \"007\"\n  rate: 1.50\n");
        assertEquals(Map.of("country", "NO", "code", "007", "rate", "1.50"), app.variables());
    }

    @Test
    void anUnknownKeyOfAppYamlIsRefused() {
        String reason = refusal("name: CRM\nsource:\n  crm: {jndi: x}\n");
        assertTrue(reason.startsWith("source: unknown key; expected one of "), reason);
        for (String key : List.of("name", "description", "sources", "defaultSource", "variables")) {
            assertTrue(reason.contains(key), reason);
        }
    }

    @Test
    void anAppFolderWithoutAppYamlIsInvalid() throws IOException {
        Files.createDirectories(home.path().resolve("apps/9/scenarios"));
        App app = load().get("9");
        assertFalse(app.isValid());
        assertEquals(appFile("9") + ": file not found", app.invalidReason());
        assertEquals(List.of(app.invalidReason()), loader.problems());
    }

    @Test
    void appYamlThatIsNotYamlIsInvalid() {
        String reason = refusal("name: [CRM\n");
        assertTrue(reason.startsWith("not valid YAML: "), reason);
        assertEquals("must be a mapping of keys to values", refusal("- CRM\n"));
    }

    @Test
    void anInvalidAppKeepsItsIdAndReasonAndLeavesTheOtherAppsWorking() {
        home.app("7", "name: CRM\ncolour: red\n");
        home.scenario("7", "Main", VALID_SCENARIO);
        home.app("8", "name: Billing\n");
        home.scenario("8", "Main", VALID_SCENARIO);
        Map<String, App> apps;
        try (LogCapture log = LogCapture.start(Logger.getLogger(AppLoader.class.getName()))) {
            apps = load();
            assertTrue(log.text().contains(appFile("7").toString()), log.text());
        }
        assertEquals(Set.of("7", "8"), apps.keySet());

        App broken = apps.get("7");
        assertFalse(broken.isValid());
        assertEquals("7", broken.id());
        assertEquals("7", broken.name());
        assertTrue(broken.invalidReason().startsWith(appFile("7") + ": colour: unknown key"), broken.invalidReason());
        assertEquals(Map.of(), broken.scenarios());

        App working = apps.get("8");
        assertTrue(working.isValid());
        assertEquals("Billing", working.name());
        assertTrue(working.scenario("Main").orElseThrow().isValid());

        assertEquals(List.of(broken.invalidReason()), loader.problems());
    }

    @Test
    void everyInvalidAppIsReportedInOrder() {
        home.app("a", "defaultSource: nope\n");
        home.app("b", "name: fine\n");
        home.app("c", "sources: 5\n");
        load();
        assertEquals(List.of(appFile("a") + ": defaultSource: names no source of this app: 'nope'",
                appFile("c") + ": sources: must be a mapping"), loader.problems());
    }

    @Test
    void appsAreKeyedByFolderNameAndHiddenFoldersAndFilesAreSkipped() throws IOException {
        home.app("7", "name: Seven\n");
        home.app("crm-eu", "name: CRM EU\n");
        home.write("apps/.git/app.yaml", "colour: red\n");
        home.write("apps/README.md", "not an app\n");
        Map<String, App> apps = load();
        assertEquals(List.of("7", "crm-eu"), List.copyOf(apps.keySet()));
        assertEquals(List.of(), loader.problems());
    }

    @Test
    void problemsCannotBeChangedByCallers() {
        home.app("7", "colour: red\n");
        load();
        List<String> problems = loader.problems();
        assertThrows(UnsupportedOperationException.class, () -> problems.add("x"));
    }
}
