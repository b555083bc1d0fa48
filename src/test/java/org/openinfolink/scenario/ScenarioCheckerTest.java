package org.openinfolink.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.openinfolink.sql.SqlDialect;
import org.openinfolink.testsupport.LogCapture;
import org.openinfolink.testsupport.TestHome;

/**
 * Scenario files (CONTRACT section 4.2) as {@link AppLoader} reads them and {@link ScenarioChecker}
 * validates them: the format, every refusal with its exact reason, templates, nesting and cycles.
 */
class ScenarioCheckerTest {

    /** App 7: a source of each kind, so the SQL dialect of a step can be chosen by its sourceName. */
    private static final String APP = """
            name: CRM
            sources:
              crm: {jndi: "java:comp/env/jdbc/crm"}
              pg: {url: "jdbc:postgresql://db/dw", username: etl, password: secret}
              maria: {url: "jdbc:mariadb://db/m"}
              h2: {url: "jdbc:h2:mem:x"}
              local: {embedded: true}
            variables:
              region: EU
            """;

    /** A scenario any test may call: one required text parameter and two optional ones. */
    private static final String CHILD = """
            parameters:
              code: {type: text, required: true}
              n: integer
              flag: {type: boolean, default: false}
            steps:
              - opName: Transform
                opParams:
                  query: SELECT ${code} AS code, ${n} AS n, ${flag} AS flag
                  returnResult: true
            """;

    private static final String UNKNOWN = ": not a parameter, app variable or built-in (jobId, appId, scenario, now)";

    private final TestHome home = TestHome.create("scenarios").app("7", APP);
    private AppLoader loader;
    private App app;

    private App load(SqlDialect defaultDialect) {
        loader = new AppLoader(name -> null, defaultDialect);
        app = loader.load(home.path()).get("7");
        assertTrue(app.isValid(), app.invalidReason());
        return app;
    }

    private ScenarioEntry entry(String name) {
        return app.scenario(name).orElseThrow();
    }

    private Scenario valid(String name) {
        ScenarioEntry entry = entry(name);
        assertTrue(entry.isValid(), name + ": " + entry.invalidReason());
        assertNull(entry.invalidReason());
        return entry.scenario();
    }

    private Path file(String name) {
        return home.path().resolve("apps").resolve("7").resolve("scenarios").resolve(name + ".yaml");
    }

    /** The reason scenario {@code name} is invalid, after checking that problems() reports it with its path. */
    private String reason(String name) {
        ScenarioEntry entry = entry(name);
        assertFalse(entry.isValid(), name + " should be invalid");
        assertNull(entry.scenario());
        assertTrue(loader.problems().contains(file(name) + ": " + entry.invalidReason()), loader.problems().toString());
        return entry.invalidReason();
    }

    /** Writes scenario {@code S} (and Child), loads on an H2 default source, and returns why S is invalid. */
    private String refusal(String yaml) {
        return refusal(yaml, SqlDialect.H2);
    }

    private String refusal(String yaml, SqlDialect defaultDialect) {
        home.scenario("7", "Child", CHILD);
        home.scenario("7", "S", yaml);
        load(defaultDialect);
        String reason = reason("S");
        valid("Child");
        assertEquals(List.of(file("S") + ": " + reason), loader.problems(), "only S is reported");
        return reason;
    }

    private Scenario accepted(String yaml) {
        return accepted(yaml, SqlDialect.H2);
    }

    private Scenario accepted(String yaml, SqlDialect defaultDialect) {
        home.scenario("7", "Child", CHILD);
        home.scenario("7", "S", yaml);
        load(defaultDialect);
        Scenario scenario = valid("S");
        assertEquals(List.of(), loader.problems());
        return scenario;
    }

    /** A scenario of one step in flow style. */
    private static String step(String flowStep) {
        return "steps:\n  - " + flowStep + "\n";
    }

    // ---------------------------------------------------------------- the format

    @Test
    void readsTheWholeScenarioFormat() {
        home.scenario("7", "Child", CHILD);
        home.scenario("7", "Main", """
                description: Companies of one country
                parameters:
                  country: {type: text, required: true, description: ISO code}
                  minId:   {type: integer, default: 0}
                  big:     {type: integer, default: 123456789012345678901234567890}
                  rate:    {type: decimal, default: 12345678901234567890.123456789012345678901}
                  active:  {type: boolean, default: true}
                  since:   {type: date, default: 2026-11-29}
                  at:      {type: datetime, default: "2026-11-29 20:11:29"}
                  atZoned: {type: datetime, default: "2026-11-29T20:11:29+02:00"}
                  note:    text
                  plain:   {}
                timeoutSeconds: 600
                steps:
                  - opName: Transform
                    title: companies
                    opParams:
                      sourceName: crm
                      query: |
                        SELECT id, company_name FROM companies
                        WHERE country = ${country} AND id >= ${minId} ORDER BY id
                      returnResult: true
                      resultName: companies_${country}
                      limit: 100
                      queryTimeoutSeconds: 30
                  - opName: Transform
                    opParams:
                      query: SELECT id, company_name FROM companies
                      into: {sourceName: pg, tableName: dw.companies, mode: replace, batchSize: 500}
                  - opName: RunSourceScript
                    opParams:
                      sourceName: pg
                      script: |
                        DELETE FROM log WHERE region = ${region};
                        INSERT INTO log (job, at) VALUES (${jobId}, ${now})
                  - opName: SetVariable
                    opParams: {name: lastCountry, value: "${country} at ${now}"}
                  - opName: RunScenario
                    opParams:
                      scenario: Child
                      parameters: {code: "${country}", n: 5, flag: true}
                """);
        load(SqlDialect.H2);
        assertEquals(List.of(), loader.problems());
        Scenario main = valid("Main");
        assertEquals("Main", main.name());
        assertEquals("Companies of one country", main.description());
        assertEquals(600, main.timeoutSeconds());

        assertEquals(List.of("country", "minId", "big", "rate", "active", "since", "at", "atZoned", "note", "plain"),
                List.copyOf(main.parameters().keySet()));
        Map<String, ParameterDefinition> p = main.parameters();
        assertEquals(new ParameterDefinition("country", ParameterType.TEXT, true, null, null), p.get("country"));
        assertEquals(new ParameterDefinition("minId", ParameterType.INTEGER, false, 0L, "0"), p.get("minId"));
        assertEquals(new ParameterDefinition("big", ParameterType.INTEGER, false,
                new BigInteger("123456789012345678901234567890"), "123456789012345678901234567890"), p.get("big"));
        assertEquals(new ParameterDefinition("rate", ParameterType.DECIMAL, false,
                new BigDecimal("12345678901234567890.123456789012345678901"),
                "12345678901234567890.123456789012345678901"), p.get("rate"));
        assertEquals(new ParameterDefinition("active", ParameterType.BOOLEAN, false, true, "true"), p.get("active"));
        assertEquals(new ParameterDefinition("since", ParameterType.DATE, false, LocalDate.of(2026, 11, 29),
                "2026-11-29"), p.get("since"));
        assertEquals(new ParameterDefinition("at", ParameterType.DATETIME, false,
                LocalDateTime.of(2026, 11, 29, 20, 11, 29), "2026-11-29T20:11:29"), p.get("at"));
        assertEquals(new ParameterDefinition("atZoned", ParameterType.DATETIME, false,
                OffsetDateTime.of(2026, 11, 29, 20, 11, 29, 0, ZoneOffset.ofHours(2)), "2026-11-29T20:11:29+02:00"),
                p.get("atZoned"));
        assertEquals(new ParameterDefinition("note", ParameterType.TEXT, false, null, null), p.get("note"));
        assertEquals(new ParameterDefinition("plain", ParameterType.TEXT, false, null, null), p.get("plain"));

        List<Step> steps = main.steps();
        assertEquals(5, steps.size());
        assertEquals(new Step(1, "companies", new Operation.Transform("crm",
                "SELECT id, company_name FROM companies\nWHERE country = ${country} AND id >= ${minId} ORDER BY id\n",
                true, "companies_${country}", null, 100L, 30)), steps.get(0));
        assertEquals(new Step(2, "Transform: dw.companies", new Operation.Transform(null,
                "SELECT id, company_name FROM companies", false, null,
                new Operation.Into("pg", "dw.companies", true, 500), null, null)), steps.get(1));
        assertEquals(new Step(3, "RunSourceScript: pg", new Operation.RunSourceScript("pg",
                "DELETE FROM log WHERE region = ${region};\nINSERT INTO log (job, at) VALUES (${jobId}, ${now})\n",
                null)), steps.get(2));
        assertEquals(new Step(4, "SetVariable: lastCountry",
                new Operation.SetVariable("lastCountry", "${country} at ${now}")), steps.get(3));

        Step nested = steps.get(4);
        assertEquals(5, nested.number());
        assertEquals("RunScenario: Child", nested.title());
        Operation.RunScenario run = (Operation.RunScenario) nested.operation();
        assertEquals("Child", run.scenario());
        assertEquals(List.of("code", "n", "flag"), List.copyOf(run.parameters().keySet()));
        assertEquals("${country}", run.parameters().get("code").textValue());
        // scalars of scenario files are read as written; the nested scenario's types convert them
        assertEquals("5", run.parameters().get("n").textValue());
        assertEquals("true", run.parameters().get("flag").textValue());
    }

    @Test
    void aMinimalScenarioHasNoDescriptionParametersOrTimeout() {
        Scenario scenario = accepted(step("{opName: Transform, opParams: {query: SELECT 1 AS one, returnResult: true}}"));
        assertEquals("S", scenario.name());
        assertNull(scenario.description());
        assertEquals(Map.of(), scenario.parameters());
        assertNull(scenario.timeoutSeconds(), "jobs.defaultTimeoutSeconds applies");
        assertEquals(new Step(1, "Transform", new Operation.Transform(null, "SELECT 1 AS one", true, null, null,
                null, null)), scenario.steps().get(0));
    }

    @Test
    void aScenarioHasNoConcurrencyLimitUnlessItSaysSo() {
        String steps = step("{opName: Transform, opParams: {query: SELECT 1 AS one, returnResult: true}}");
        assertNull(accepted(steps).concurrency());
        assertEquals(new Concurrency(2, Concurrency.WhenBusy.QUEUE), accepted("concurrency: {max: 2}\n" + steps)
                .concurrency(), "a busy scenario queues by default");
        assertEquals(new Concurrency(1, Concurrency.WhenBusy.REJECT),
                accepted("concurrency: {max: 1, whenBusy: reject}\n" + steps).concurrency());
        assertEquals(new Concurrency(1, Concurrency.WhenBusy.QUEUE),
                accepted("concurrency:\n  max: 1\n  whenBusy: queue\n" + steps).concurrency());
    }

    @Test
    void defaultTitlesNameWhatTheStepDoes() {
        Scenario scenario = accepted("""
                steps:
                  - opName: Transform
                    opParams: {query: SELECT 1 AS one, returnResult: true, resultName: ones}
                  - opName: Transform
                    title: "  "
                    opParams: {query: SELECT 1 AS one, into: {tableName: ones}}
                  - opName: RunSourceScript
                    opParams: {script: DELETE FROM ones}
                  - opName: SetVariable
                    opParams: {name: last, value: x}
                  - opName: RunScenario
                    opParams: {scenario: Child, parameters: {code: x}}
                  - opName: Transform
                    title: 42
                    opParams: {query: SELECT 1 AS one, returnResult: true}
                """);
        assertEquals(List.of("Transform: ones", "Transform: ones", "RunSourceScript", "SetVariable: last",
                "RunScenario: Child", "42"), scenario.steps().stream().map(Step::title).toList());
        assertEquals(List.of(1, 2, 3, 4, 5, 6), scenario.steps().stream().map(Step::number).toList());
    }

    @Test
    void intoAppendsByDefaultInBatchesOf1000() {
        Scenario scenario = accepted(step("{opName: Transform, opParams: {query: SELECT 1 AS one, into: {tableName: t}}}"));
        Operation.Transform transform = (Operation.Transform) scenario.steps().get(0).operation();
        assertEquals(new Operation.Into(null, "t", false, 1000), transform.into());
        assertFalse(transform.returnResult());

        scenario = accepted(step("{opName: Transform, opParams: {query: SELECT 1 AS one,"
                + " into: {tableName: t, mode: append, batchSize: 100000}}}"));
        assertEquals(new Operation.Into(null, "t", false, 100000),
                ((Operation.Transform) scenario.steps().get(0).operation()).into());
    }

    @Test
    void integersMayBeWrittenAsStrings() {
        Scenario scenario = accepted(step("{opName: Transform, opParams: {query: SELECT 1 AS one, returnResult: true,"
                + " limit: \"10\", queryTimeoutSeconds: \"7\"}}"));
        Operation.Transform transform = (Operation.Transform) scenario.steps().get(0).operation();
        assertEquals(10L, transform.limit());
        assertEquals(7, transform.queryTimeoutSeconds());
    }

    @Test
    void setVariableAcceptsScalarValuesAsText() {
        Scenario scenario = accepted("""
                steps:
                  - {opName: SetVariable, opParams: {name: a, value: 5}}
                  - {opName: SetVariable, opParams: {name: b, value: true}}
                  - {opName: SetVariable, opParams: {name: c, value: 1.50}}
                  - {opName: SetVariable, opParams: {name: d, value: ~}}
                  - {opName: SetVariable, opParams: {name: app.last-run, value: ""}}
                """);
        assertEquals(List.of(new Operation.SetVariable("a", "5"), new Operation.SetVariable("b", "true"),
                        new Operation.SetVariable("c", "1.50"), new Operation.SetVariable("d", ""),
                        new Operation.SetVariable("app.last-run", "")),
                scenario.steps().stream().map(Step::operation).toList());
    }

    @Test
    void aRunSourceScriptMayUseAnySourceKind() {
        Scenario scenario = accepted("""
                steps:
                  - {opName: RunSourceScript, opParams: {sourceName: crm, script: "DELETE FROM a; DELETE FROM b"}}
                  - {opName: RunSourceScript, opParams: {sourceName: maria, script: "DELETE FROM a"}}
                  - {opName: RunSourceScript, opParams: {sourceName: h2, script: "DELETE FROM a"}}
                  - {opName: RunSourceScript, opParams: {sourceName: local, script: "DELETE FROM a", queryTimeoutSeconds: 9}}
                """);
        assertEquals(new Operation.RunSourceScript("local", "DELETE FROM a", 9), scenario.steps().get(3).operation());
    }

    @Test
    void scenariosAreNamedAfterTheirFilesAndOtherFilesAreIgnored() {
        home.scenario("7", "Child", CHILD);
        home.write("apps/7/scenarios/Main Report.yaml", CHILD);
        home.write("apps/7/scenarios/.Hidden.yaml", "not: [valid\n");
        home.write("apps/7/scenarios/README.md", "not a scenario\n");
        home.write("apps/7/scenarios/Old.yaml.bak", "not a scenario\n");
        load(SqlDialect.H2);
        assertEquals(List.of("Child", "Main Report"), List.copyOf(app.scenarios().keySet()));
        assertEquals("Main Report", valid("Main Report").name());
        assertEquals(List.of(), loader.problems());
    }

    // ---------------------------------------------------------------- scenario-level refusals

    static Stream<Arguments> scenarioRefusals() {
        String steps = step("{opName: Transform, opParams: {query: SELECT 1 AS one, returnResult: true}}");
        return Stream.of(
                Arguments.of("", "steps: a list of at least one step is required"),
                Arguments.of("description: nothing to do\n", "steps: a list of at least one step is required"),
                Arguments.of("steps: []\n", "steps: a list of at least one step is required"),
                Arguments.of("steps: Transform\n", "steps: a list of at least one step is required"),
                Arguments.of("steps: {opName: Transform}\n", "steps: a list of at least one step is required"),
                Arguments.of("- a\n- b\n", "must be a mapping of keys to values"),
                Arguments.of("description: {a: b}\n" + steps, "description: must be a string"),
                Arguments.of("parameters: [a, b]\n" + steps, "parameters: must be a mapping"),
                Arguments.of("parameters: {1st: text}\n" + steps, "parameters.1st: is not a valid parameter name"),
                Arguments.of("parameters: {n: [integer]}\n" + steps,
                        "parameters.n: must be a mapping like {type: integer, required: true}"),
                Arguments.of("parameters: {n: int}\n" + steps,
                        "parameters.n.type: unknown type 'int'; use text, integer, decimal, boolean, date or datetime"),
                Arguments.of("parameters: {n: {type: Integer}}\n" + steps,
                        "parameters.n.type: unknown type 'Integer'; use text, integer, decimal, boolean, date or datetime"),
                Arguments.of("parameters: {n: {required: maybe}}\n" + steps,
                        "parameters.n.required: must be true or false, got 'maybe'"),
                Arguments.of("parameters: {minId: {type: integer, default: abc}}\n" + steps,
                        "parameters.minId.default: must be an integer, got 'abc'"),
                Arguments.of("parameters: {minId: {type: integer, default: 1.5}}\n" + steps,
                        "parameters.minId.default: must be an integer, got '1.5'"),
                Arguments.of("parameters: {rate: {type: decimal, default: \"1,5\"}}\n" + steps,
                        "parameters.rate.default: must be a decimal number, got '1,5'"),
                Arguments.of("parameters: {flag: {type: boolean, default: maybe}}\n" + steps,
                        "parameters.flag.default: must be true or false, got 'maybe'"),
                Arguments.of("parameters: {d: {type: date, default: 2026-02-30}}\n" + steps,
                        "parameters.d.default: must be a date (yyyy-mm-dd), got '2026-02-30'"),
                Arguments.of("parameters: {d: {type: date, default: 20261129}}\n" + steps,
                        "parameters.d.default: must be a date (yyyy-mm-dd), got '20261129'"),
                Arguments.of("parameters: {at: {type: datetime, default: tomorrow}}\n" + steps,
                        "parameters.at.default: must be a date-time (ISO-8601, e.g. 2026-11-29T20:11:29), got 'tomorrow'"),
                Arguments.of("timeoutSeconds: 0\n" + steps, "timeoutSeconds: must be between 1 and 2147483647, got 0"),
                Arguments.of("timeoutSeconds: 2147483648\n" + steps,
                        "timeoutSeconds: must be between 1 and 2147483647, got 2147483648"),
                Arguments.of("timeoutSeconds: soon\n" + steps, "timeoutSeconds: must be an integer, got 'soon'"),
                Arguments.of("concurrency: 1\n" + steps, "concurrency: must be a mapping"),
                Arguments.of("concurrency: {whenBusy: queue}\n" + steps,
                        "concurrency.max: is required, e.g. concurrency: {max: 1, whenBusy: queue}"),
                Arguments.of("concurrency: {max: 0}\n" + steps, "concurrency.max: must be between 1 and 1000, got 0"),
                Arguments.of("concurrency: {max: many}\n" + steps, "concurrency.max: must be an integer, got 'many'"),
                Arguments.of("concurrency: {max: 1, whenBusy: wait}\n" + steps,
                        "concurrency.whenBusy: must be queue or reject, got 'wait'"),
                Arguments.of("concurrency: {max: 1, limit: 2}\n" + steps,
                        "concurrency.limit: unknown key; expected one of " + String.join(", ",
                                Set.of("max", "whenBusy"))));
    }

    @ParameterizedTest
    @MethodSource("scenarioRefusals")
    void aScenarioFileIsRefusedWithItsReason(String yaml, String expected) {
        assertEquals(expected, refusal(yaml));
    }

    @Test
    void anUnknownScenarioKeyIsRefused() {
        String reason = refusal("timeout: 5\n" + step("{opName: Transform, opParams: {query: SELECT 1, returnResult: true}}"));
        assertTrue(reason.startsWith("timeout: unknown key; expected one of "), reason);
        for (String key : List.of("description", "parameters", "timeoutSeconds", "steps")) {
            assertTrue(reason.contains(key), reason);
        }
    }

    @Test
    void anUnknownParameterKeyIsRefused() {
        String reason = refusal("parameters: {n: {type: integer, optional: true}}\n"
                + step("{opName: Transform, opParams: {query: SELECT 1, returnResult: true}}"));
        assertTrue(reason.startsWith("parameters.n.optional: unknown key; expected one of "), reason);
    }

    @Test
    void aFileThatIsNotYamlIsRefused() {
        String reason = refusal("steps: [\n");
        assertTrue(reason.startsWith("not valid YAML: "), reason);
    }

    @Test
    void anInvalidScenarioKeepsItsDescriptionAndParametersForListings() {
        refusal("description: Broken on purpose\nparameters:\n  country: {type: text, required: true}\n"
                + step("{opName: Transform, opParams: {returnResult: true}}"));
        ScenarioEntry entry = entry("S");
        assertEquals("S", entry.name());
        assertEquals("Broken on purpose", entry.description());
        assertEquals(List.of("country"), List.copyOf(entry.parameters().keySet()));
        assertEquals("step 1: query is required", entry.invalidReason());
    }

    // ---------------------------------------------------------------- step refusals

    static Stream<Arguments> stepRefusals() {
        String known = "known: RunScenario, Transform, RunSourceScript, SetVariable";
        return Stream.of(
                // the step itself
                Arguments.of("Transform", "step 1: must be a mapping with opName and opParams"),
                Arguments.of("{opParams: {query: SELECT 1, returnResult: true}}", "step 1: opName is required"),
                Arguments.of("{opName: \"\", opParams: {}}", "step 1: opName is required"),
                Arguments.of("{opName: Query, opParams: {}}", "step 1: unknown operation 'Query'; " + known),
                Arguments.of("{opName: transform, opParams: {}}", "step 1: unknown operation 'transform'; " + known),
                Arguments.of("{opName: Transform, params: {query: SELECT 1}}",
                        "step 1: unknown key 'params'; expected opName, title, opParams"),
                Arguments.of("{opName: Transform, opParams: [SELECT 1]}", "step 1: opParams must be an object"),
                Arguments.of("{opName: Transform, opParams: SELECT 1}", "step 1: opParams must be an object"),
                // Transform
                Arguments.of("{opName: Transform}", "step 1: query is required"),
                Arguments.of("{opName: Transform, opParams: {returnResult: true}}", "step 1: query is required"),
                Arguments.of("{opName: Transform, opParams: {query: \" \", returnResult: true}}",
                        "step 1: query is required"),
                Arguments.of("{opName: Transform, opParams: {query: [SELECT 1], returnResult: true}}",
                        "step 1: query must be a string"),
                Arguments.of("{opName: Transform, opParams: {query: SELECT 1, returnResult: true, colour: red}}",
                        "step 1: unknown opParam 'colour'"),
                Arguments.of("{opName: Transform, opParams: {query: SELECT 1}}",
                        "step 1: Transform needs returnResult: true or into: {tableName: ...}"),
                Arguments.of("{opName: Transform, opParams: {query: SELECT 1, returnResult: false}}",
                        "step 1: Transform needs returnResult: true or into: {tableName: ...}"),
                Arguments.of("{opName: Transform, opParams: {query: SELECT 1, returnResult: true, into: {tableName: t}}}",
                        "step 1: use either returnResult: true or into, not both"),
                Arguments.of("{opName: Transform, opParams: {query: SELECT 1, resultName: r, into: {tableName: t}}}",
                        "step 1: resultName needs returnResult: true"),
                Arguments.of("{opName: Transform, opParams: {query: SELECT 1, into: t}}",
                        "step 1: into must be an object with sourceName, tableName and mode"),
                Arguments.of("{opName: Transform, opParams: {query: SELECT 1, into: {mode: append}}}",
                        "step 1: into.tableName is required"),
                Arguments.of("{opName: Transform, opParams: {query: SELECT 1, into: {tableName: t, mode: upsert}}}",
                        "step 1: into.mode must be append or replace, got 'upsert'"),
                Arguments.of("{opName: Transform, opParams: {query: SELECT 1, into: {tableName: t, mode: Replace}}}",
                        "step 1: into.mode must be append or replace, got 'Replace'"),
                Arguments.of("{opName: Transform, opParams: {query: SELECT 1, into: {tableName: t, colour: red}}}",
                        "step 1: unknown opParam 'into.colour'"),
                Arguments.of("{opName: Transform, opParams: {query: SELECT 1, into: {tableName: t, batchSize: 0}}}",
                        "step 1: into.batchSize must be between 1 and 100000"),
                Arguments.of("{opName: Transform, opParams: {query: SELECT 1, into: {tableName: t, batchSize: 100001}}}",
                        "step 1: into.batchSize must be between 1 and 100000"),
                Arguments.of("{opName: Transform, opParams: {query: SELECT 1, into: {tableName: t, batchSize: many}}}",
                        "step 1: into.batchSize must be an integer"),
                Arguments.of("{opName: Transform, opParams: {query: SELECT 1, into: {tableName: \"my table\"}}}",
                        "step 1: into.tableName 'my table' is not a plain or schema-qualified identifier"),
                Arguments.of("{opName: Transform, opParams: {query: SELECT 1, into: {tableName: a.b.c}}}",
                        "step 1: into.tableName 'a.b.c' is not a plain or schema-qualified identifier"),
                Arguments.of("{opName: Transform, opParams: {query: SELECT 1, into: {tableName: 1st}}}",
                        "step 1: into.tableName '1st' is not a plain or schema-qualified identifier"),
                Arguments.of("{opName: Transform, opParams: {query: SELECT 1, into: {tableName: \"t; DROP TABLE x\"}}}",
                        "step 1: into.tableName 't; DROP TABLE x' is not a plain or schema-qualified identifier"),
                Arguments.of("{opName: Transform, opParams: {query: SELECT 1, into: {tableName: \"\\\"T\\\"\"}}}",
                        "step 1: into.tableName '\"T\"' is not a plain or schema-qualified identifier"),
                Arguments.of("{opName: Transform, opParams: {query: SELECT 1, returnResult: true, limit: -1}}",
                        "step 1: limit must be between 0 and 9223372036854775807"),
                Arguments.of("{opName: Transform, opParams: {query: SELECT 1, returnResult: true, limit: ten}}",
                        "step 1: limit must be an integer"),
                Arguments.of("{opName: Transform, opParams: {query: SELECT 1, returnResult: true, limit: 1.5}}",
                        "step 1: limit must be an integer"),
                Arguments.of("{opName: Transform, opParams: {query: SELECT 1, returnResult: true, queryTimeoutSeconds: 0}}",
                        "step 1: queryTimeoutSeconds must be between 1 and 2147483647"),
                Arguments.of("{opName: Transform, opParams: {query: SELECT 1, returnResult: true, sourceName: nope}}",
                        "step 1: unknown source 'nope' in app '7'"),
                Arguments.of("{opName: Transform, opParams: {query: SELECT 1, into: {sourceName: nope, tableName: t}}}",
                        "step 1: unknown source 'nope' in app '7'"),
                // RunSourceScript
                Arguments.of("{opName: RunSourceScript, opParams: {}}", "step 1: script is required"),
                Arguments.of("{opName: RunSourceScript, opParams: {script: DELETE FROM t, colour: red}}",
                        "step 1: unknown opParam 'colour'"),
                Arguments.of("{opName: RunSourceScript, opParams: {script: \"-- nothing to do\"}}",
                        "step 1: script has no statement"),
                Arguments.of("{opName: RunSourceScript, opParams: {script: \" ; ;\"}}", "step 1: script has no statement"),
                Arguments.of("{opName: RunSourceScript, opParams: {script: DELETE FROM t, sourceName: nope}}",
                        "step 1: unknown source 'nope' in app '7'"),
                Arguments.of("{opName: RunSourceScript, opParams: {script: DELETE FROM t, queryTimeoutSeconds: -1}}",
                        "step 1: queryTimeoutSeconds must be between 1 and 2147483647"),
                // SetVariable
                Arguments.of("{opName: SetVariable, opParams: {value: x}}", "step 1: name is required"),
                Arguments.of("{opName: SetVariable, opParams: {name: 1st, value: x}}",
                        "step 1: name '1st' is not a valid variable name"),
                Arguments.of("{opName: SetVariable, opParams: {name: a b, value: x}}",
                        "step 1: name 'a b' is not a valid variable name"),
                Arguments.of("{opName: SetVariable, opParams: {name: x}}", "step 1: value is required"),
                Arguments.of("{opName: SetVariable, opParams: {name: x, value: [a]}}", "step 1: value must be a string"),
                Arguments.of("{opName: SetVariable, opParams: {name: x, value: a, scope: app}}",
                        "step 1: unknown opParam 'scope'"),
                // RunScenario
                Arguments.of("{opName: RunScenario, opParams: {}}", "step 1: scenario is required"),
                Arguments.of("{opName: RunScenario, opParams: {scenario: Child, params: {code: x}}}",
                        "step 1: unknown opParam 'params'"),
                Arguments.of("{opName: RunScenario, opParams: {scenario: Nope}}",
                        "step 1: scenario 'Nope' not found in app '7'"),
                Arguments.of("{opName: RunScenario, opParams: {scenario: child, parameters: {code: x}}}",
                        "step 1: scenario 'child' not found in app '7'"),
                Arguments.of("{opName: RunScenario, opParams: {scenario: Child, parameters: [code]}}",
                        "step 1: parameters must be an object"),
                Arguments.of("{opName: RunScenario, opParams: {scenario: Child, parameters: {code: [a, b]}}}",
                        "step 1: parameter 'code' must be a string, number or boolean"),
                Arguments.of("{opName: RunScenario, opParams: {scenario: Child, parameters: {code: x, colour: red}}}",
                        "step 1: scenario 'Child' has no parameter 'colour'"),
                Arguments.of("{opName: RunScenario, opParams: {scenario: Child}}",
                        "step 1: parameter 'code' of scenario 'Child' is required"),
                Arguments.of("{opName: RunScenario, opParams: {scenario: Child, parameters: {n: 5}}}",
                        "step 1: parameter 'code' of scenario 'Child' is required"));
    }

    @ParameterizedTest
    @MethodSource("stepRefusals")
    void aStepIsRefusedWithItsReason(String flowStep, String expected) {
        assertEquals(expected, refusal(step(flowStep)));
    }

    /**
     * When the job runs, a null parameter value counts as not given (ScenarioParameters), so a
     * nested call that passes null for a required parameter can never run and must be refused
     * when loading, like a call that leaves the parameter out.
     */
    @Test
    void aNullValueDoesNotGiveARequiredNestedParameter() {
        assertEquals("step 1: parameter 'code' of scenario 'Child' is required",
                refusal(step("{opName: RunScenario, opParams: {scenario: Child, parameters: {code: ~}}}")));
    }

    @Test
    void theReasonNamesTheStepThatFailed() {
        assertEquals("step 3: query is required", refusal("""
                steps:
                  - {opName: Transform, opParams: {query: SELECT 1, returnResult: true}}
                  - {opName: SetVariable, opParams: {name: x, value: y}}
                  - {opName: Transform, opParams: {returnResult: true}}
                  - {opName: Transform, opParams: {}}
                """));
        assertEquals("step 2: unknown source 'nope' in app '7'", refusal("""
                steps:
                  - {opName: Transform, opParams: {query: SELECT 1, returnResult: true}}
                  - {opName: Transform, opParams: {query: SELECT 1, returnResult: true, sourceName: nope}}
                """));
    }

    @Test
    void aScriptThatCannotBeLexedIsRefused() {
        String reason = refusal(step("{opName: RunSourceScript, opParams: {script: \"INSERT INTO t VALUES ('abc)\"}}"));
        assertTrue(reason.startsWith("step 1: script: "), reason);
        assertTrue(reason.contains("line 1"), reason);
    }

    @Test
    void aQueryThatCannotBeLexedIsRefused() {
        String reason = refusal(step("{opName: Transform, opParams: {query: \"SELECT 'abc\", returnResult: true}}"));
        assertTrue(reason.startsWith("step 1: query: "), reason);
    }

    // ---------------------------------------------------------------- templates

    @ParameterizedTest
    @ValueSource(strings = {"country", "region", "lastRun", "jobId", "appId", "scenario", "now"})
    void aTemplateMayNameAParameterAVariableAVariableSetInTheAppOrABuiltIn(String name) {
        home.scenario("7", "Writer", step("{opName: SetVariable, opParams: {name: lastRun, value: \"${now}\"}}"));
        Scenario scenario = accepted("""
                parameters:
                  country: text
                steps:
                  - opName: Transform
                    opParams:
                      query: SELECT ${NAME} AS v
                      returnResult: true
                      resultName: r_${NAME}
                  - opName: Transform
                    opParams:
                      query: SELECT ${NAME} AS v
                      into: {tableName: "t_${NAME}"}
                  - opName: RunSourceScript
                    opParams:
                      script: DELETE FROM t WHERE v = ${NAME}; DELETE FROM u WHERE v = ${NAME}
                  - opName: SetVariable
                    opParams: {name: copy, value: "${NAME}"}
                  - opName: RunScenario
                    opParams: {scenario: Child, parameters: {code: "${NAME}"}}
                """.replace("NAME", name));
        assertEquals(5, scenario.steps().size());
    }

    static Stream<Arguments> unknownNames() {
        return Stream.of(
                Arguments.of("{opName: Transform, opParams: {query: \"SELECT ${nope} AS v\", returnResult: true}}",
                        "step 1: query: unknown name ${nope}" + UNKNOWN),
                Arguments.of("{opName: Transform, opParams: {query: SELECT 1, returnResult: true, resultName: \"r_${nope}\"}}",
                        "step 1: resultName: unknown name ${nope}" + UNKNOWN),
                Arguments.of("{opName: Transform, opParams: {query: SELECT 1, into: {tableName: \"t_${nope}\"}}}",
                        "step 1: into.tableName: unknown name ${nope}" + UNKNOWN),
                Arguments.of("{opName: RunSourceScript, opParams: {script: \"DELETE FROM t;\\nDELETE FROM u WHERE v = ${nope}\"}}",
                        "step 1: script: unknown name ${nope}" + UNKNOWN),
                Arguments.of("{opName: RunSourceScript, opParams: {sourceName: crm, script: \"DELETE FROM u WHERE v = ${nope}\"}}",
                        "step 1: script: unknown name ${nope}" + UNKNOWN),
                Arguments.of("{opName: Transform, opParams: {sourceName: crm, query: \"SELECT ${nope}\", returnResult: true}}",
                        "step 1: query: unknown name ${nope}" + UNKNOWN),
                Arguments.of("{opName: SetVariable, opParams: {name: x, value: \"${nope}\"}}",
                        "step 1: value: unknown name ${nope}" + UNKNOWN),
                Arguments.of("{opName: RunScenario, opParams: {scenario: Child, parameters: {code: \"${nope}\"}}}",
                        "step 1: parameters.code: unknown name ${nope}" + UNKNOWN),
                Arguments.of("{opName: Transform, opParams: {query: \"SELECT ${JobId}\", returnResult: true}}",
                        "step 1: query: unknown name ${JobId}" + UNKNOWN));
    }

    @ParameterizedTest
    @MethodSource("unknownNames")
    void anUnknownNameIsRefusedNamingTheField(String flowStep, String expected) {
        assertEquals(expected, refusal(step(flowStep)));
    }

    @Test
    void aParameterOfAnotherScenarioIsNotInScope() {
        assertEquals("step 1: query: unknown name ${code}" + UNKNOWN,
                refusal(step("{opName: Transform, opParams: {query: \"SELECT ${code}\", returnResult: true}}")));
    }

    @Test
    void aVariableIsKnownOnlyWhenSomeScenarioOfTheAppSetsIt() {
        String reader = step("{opName: Transform, opParams: {query: \"SELECT ${lastRun}\", returnResult: true}}");
        assertEquals("step 1: query: unknown name ${lastRun}" + UNKNOWN, refusal(reader));

        home.scenario("7", "Writer", step("{opName: SetVariable, opParams: {name: lastRun, value: x}}"));
        accepted(reader);
    }

    @Test
    void aMalformedReferenceIsRefused() {
        assertEquals("step 1: resultName: unclosed template reference '${region' on line 1: write ${name}",
                refusal(step("{opName: Transform, opParams: {query: SELECT 1, returnResult: true, resultName: \"r_${region\"}}")));
        assertEquals("step 1: query: unclosed template reference '${region' on line 1: write ${name}",
                refusal(step("{opName: Transform, opParams: {query: \"SELECT ${region\", returnResult: true}}")));
        assertEquals("step 1: value: empty template reference ${} on line 1",
                refusal(step("{opName: SetVariable, opParams: {name: x, value: \"a ${} b\"}}")));
    }

    @ParameterizedTest
    @EnumSource(value = SqlDialect.class, names = {"H2", "POSTGRESQL", "MARIADB"})
    void aReferenceInsideAQuotedStringIsRefusedWhenTheDefaultSourcesDialectIsKnown(SqlDialect dialect) {
        assertEquals("step 1: query: ${country} is inside a quoted string on line 2: write it without quotes,"
                        + " it is bound as a parameter",
                refusal("parameters: {country: text}\nsteps:\n  - opName: Transform\n    opParams:\n"
                        + "      query: |\n        SELECT id FROM companies\n        WHERE country = '${country}'\n"
                        + "      returnResult: true\n", dialect));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pg", "maria", "h2", "local"})
    void aReferenceInsideAQuotedStringIsRefusedForASourceOfKnownDialect(String source) {
        assertEquals("step 1: query: ${country} is inside a quoted string on line 1: write it without quotes,"
                        + " it is bound as a parameter",
                refusal("parameters: {country: text}\n" + step("{opName: Transform, opParams: {sourceName: " + source
                        + ", query: \"SELECT id FROM companies WHERE country = '${country}'\", returnResult: true}}"),
                        SqlDialect.OTHER));
    }

    @Test
    void stepsWithoutSourceNameUseTheAppsDefaultSource() {
        home.app("7", APP + "defaultSource: pg\n");
        String quoted = "parameters: {country: text}\n" + step("{opName: Transform, opParams: {"
                + " query: \"SELECT id FROM companies WHERE country = '${country}'\", returnResult: true}}");
        assertEquals("step 1: query: ${country} is inside a quoted string on line 1: write it without quotes,"
                + " it is bound as a parameter", refusal(quoted, SqlDialect.OTHER));

        home.app("7", APP + "defaultSource: crm\n");
        accepted(quoted, SqlDialect.H2);
    }

    @Test
    void theServersDefaultSourceMayBeNamedExplicitly() {
        assertEquals("step 1: query: ${country} is inside a quoted string on line 1: write it without quotes,"
                        + " it is bound as a parameter",
                refusal("parameters: {country: text}\n" + step("{opName: Transform, opParams: {sourceName: default,"
                        + " query: \"SELECT id FROM companies WHERE country = '${country}'\", returnResult: true}}")));
    }

    @Test
    void directOperationsAreCheckedAgainstALoadedApp() throws InvalidOperationException {
        load(SqlDialect.H2);
        ScenarioChecker checker = ScenarioChecker.forApp(app, SqlDialect.H2);
        checker.check(new Operation.Transform(null, "SELECT ${x} AS x, ${region} AS r, ${jobId} AS j", true, null,
                null, null, null), Set.of("x", "region"));
        InvalidOperationException error = assertThrows(
                InvalidOperationException.class, () -> checker.check(new Operation.Transform(null,
                        "SELECT '${x}'", true, null, null, null, null), Set.of("x")));
        assertEquals("query: ${x} is inside a quoted string on line 1: write it without quotes,"
                + " it is bound as a parameter", error.getMessage());
        error = assertThrows(InvalidOperationException.class,
                () -> checker.check(new Operation.RunSourceScript("nope", "DELETE FROM t", null), Set.of()));
        assertEquals("unknown source 'nope' in app '7'", error.getMessage());
        error = assertThrows(InvalidOperationException.class,
                () -> checker.check(new Operation.SetVariable("v", "${y}"), Set.of("x")));
        assertEquals("value: unknown name ${y}" + UNKNOWN, error.getMessage());
    }

    @Test
    void aReferenceInsideAQuotedStringOfAScriptIsRefusedWithTheScriptsLine() {
        assertEquals("step 1: script: ${region} is inside a quoted string on line 2: write it without quotes,"
                        + " it is bound as a parameter",
                refusal(step("{opName: RunSourceScript, opParams: {script: \"DELETE FROM a;\\n"
                        + "INSERT INTO b VALUES ('${region}')\"}}"), SqlDialect.POSTGRESQL));
    }

    @Test
    void aReferenceUsedAsAQuotedIdentifierIsRefused() {
        assertEquals("step 1: query: ${region} cannot be used as an identifier (line 1): it is bound as a value,"
                        + " never pasted into the SQL",
                refusal(step("{opName: Transform, opParams: {query: 'SELECT 1 AS \"${region}\"', returnResult: true}}")));
    }

    @Test
    void aReferenceInACommentIsNotBoundNorChecked() {
        accepted(step("{opName: Transform, opParams: {query: \"SELECT 1 AS one -- ${nope} or '${region}'\","
                + " returnResult: true}}"));
    }

    @Test
    void sqlOfAnUnknownDialectIsCheckedForNamesOnly() {
        // a JNDI source's dialect is not known when loading: quotes are not lexed, names are still checked
        accepted("parameters: {country: text}\n" + step("{opName: Transform, opParams: {sourceName: crm,"
                + " query: \"SELECT id FROM companies WHERE country = '${country}'\", returnResult: true}}"));
        accepted("parameters: {country: text}\n" + step("{opName: Transform, opParams: {"
                + " query: \"SELECT id FROM companies WHERE country = '${country}'\", returnResult: true}}"),
                SqlDialect.OTHER);
    }

    @Test
    void aTemplatedTableNameIsCheckedWhenTheStepRuns() {
        Scenario scenario = accepted(step("{opName: Transform, opParams: {query: SELECT 1,"
                + " into: {sourceName: pg, tableName: \"dw.t_${region}\"}}}"));
        assertEquals("dw.t_${region}", ((Operation.Transform) scenario.steps().get(0).operation()).into().tableName());
    }

    @ParameterizedTest
    @ValueSource(strings = {"t", "T_1", "_t", "dw.companies", "t$1", "a_b.c$d"})
    void plainAndSchemaQualifiedTableNamesAreAccepted(String tableName) {
        accepted(step("{opName: Transform, opParams: {query: SELECT 1, into: {tableName: \"" + tableName + "\"}}}"));
    }

    static Stream<String> scriptTemplates() {
        return Stream.of(
                "{opName: Transform, opParams: {query: \"SELECT $((1 + 1)) AS two\", returnResult: true}}",
                "{opName: Transform, opParams: {query: SELECT 1, returnResult: true, resultName: \"r_$((jobId))\"}}",
                "{opName: SetVariable, opParams: {name: x, value: \"$((new Date()))\"}}",
                "{opName: RunSourceScript, opParams: {script: \"DELETE FROM t WHERE d < $((today))\"}}",
                "{opName: RunScenario, opParams: {scenario: Child, parameters: {code: \"$((x))\"}}}");
    }

    @ParameterizedTest
    @MethodSource("scriptTemplates")
    void javaScriptTemplatesAreRefusedWithThatReason(String flowStep) {
        assertEquals("step 1: JavaScript templates $((...)) are not supported; use ${name} templates",
                refusal(step(flowStep)));
    }

    @Test
    void aJavaScriptTemplateInALaterStepNamesThatStep() {
        assertEquals("step 2: JavaScript templates $((...)) are not supported; use ${name} templates", refusal("""
                steps:
                  - {opName: SetVariable, opParams: {name: x, value: y}}
                  - {opName: SetVariable, opParams: {name: x, value: "$((y))"}}
                """));
    }

    // ---------------------------------------------------------------- nesting and cycles

    @Test
    void nestedParametersMayBeScalarsAndTemplates() {
        Scenario scenario = accepted("parameters: {country: text}\n"
                + step("{opName: RunScenario, opParams: {scenario: Child,"
                + " parameters: {code: \"${country}-${region}\", n: 5, flag: true}}}"));
        assertEquals("Child", ((Operation.RunScenario) scenario.steps().get(0).operation()).scenario());
    }

    @Test
    void aScenarioCallingAnInvalidOneIsInvalid() {
        home.scenario("7", "Broken", step("{opName: Transform, opParams: {returnResult: true}}"));
        home.scenario("7", "Parent", step("{opName: RunScenario, opParams: {scenario: Broken}}"));
        home.scenario("7", "Fine", step("{opName: SetVariable, opParams: {name: x, value: y}}"));
        load(SqlDialect.H2);
        assertEquals("step 1: query is required", reason("Broken"));
        assertEquals("step 1: scenario 'Broken' is invalid", reason("Parent"));
        valid("Fine");
        assertEquals(List.of(file("Broken") + ": step 1: query is required",
                file("Parent") + ": step 1: scenario 'Broken' is invalid"), loader.problems());
    }

    @Test
    void invalidityPropagatesThroughEveryCaller() {
        home.scenario("7", "A", step("{opName: RunScenario, opParams: {scenario: B}}"));
        home.scenario("7", "B", """
                steps:
                  - {opName: SetVariable, opParams: {name: x, value: y}}
                  - {opName: RunScenario, opParams: {scenario: C}}
                """);
        home.scenario("7", "C", step("{opName: Transform, opParams: {query: SELECT 1}}"));
        load(SqlDialect.H2);
        assertEquals("step 1: Transform needs returnResult: true or into: {tableName: ...}", reason("C"));
        assertEquals("step 2: scenario 'C' is invalid", reason("B"));
        assertEquals("step 1: scenario 'B' is invalid", reason("A"));
        assertEquals(3, loader.problems().size());
    }

    @Test
    void aCycleOfTwoScenariosIsRefusedWithTheCycle() {
        home.scenario("7", "A", step("{opName: RunScenario, opParams: {scenario: B}}"));
        home.scenario("7", "B", step("{opName: RunScenario, opParams: {scenario: A}}"));
        home.scenario("7", "Other", step("{opName: SetVariable, opParams: {name: x, value: y}}"));
        load(SqlDialect.H2);
        assertEquals("RunScenario makes a cycle: A -> B -> A", reason("A"));
        assertEquals("RunScenario makes a cycle: A -> B -> A", reason("B"));
        valid("Other");
        assertEquals(List.of(file("A") + ": RunScenario makes a cycle: A -> B -> A",
                file("B") + ": RunScenario makes a cycle: A -> B -> A"), loader.problems());
    }

    @Test
    void aScenarioCallingItselfIsRefused() {
        home.scenario("7", "A", """
                steps:
                  - {opName: SetVariable, opParams: {name: x, value: y}}
                  - {opName: RunScenario, opParams: {scenario: A}}
                """);
        load(SqlDialect.H2);
        assertEquals("RunScenario makes a cycle: A -> A", reason("A"));
    }

    @Test
    void aLongerCycleNamesEveryMemberAndItsCallersAreInvalid() {
        home.scenario("7", "Caller", step("{opName: RunScenario, opParams: {scenario: X}}"));
        home.scenario("7", "X", step("{opName: RunScenario, opParams: {scenario: Y}}"));
        home.scenario("7", "Y", step("{opName: RunScenario, opParams: {scenario: Z}}"));
        home.scenario("7", "Z", step("{opName: RunScenario, opParams: {scenario: X}}"));
        load(SqlDialect.H2);
        for (String member : List.of("X", "Y", "Z")) {
            assertEquals("RunScenario makes a cycle: X -> Y -> Z -> X", reason(member));
        }
        assertEquals("step 1: scenario 'X' is invalid", reason("Caller"));
    }

    @Test
    void callingTheSameScenarioTwiceIsNotACycle() {
        home.scenario("7", "Leaf", step("{opName: SetVariable, opParams: {name: x, value: y}}"));
        home.scenario("7", "Mid", step("{opName: RunScenario, opParams: {scenario: Leaf}}"));
        home.scenario("7", "Top", """
                steps:
                  - {opName: RunScenario, opParams: {scenario: Leaf}}
                  - {opName: RunScenario, opParams: {scenario: Mid}}
                  - {opName: RunScenario, opParams: {scenario: Leaf}}
                """);
        load(SqlDialect.H2);
        valid("Top");
        valid("Mid");
        valid("Leaf");
        assertEquals(List.of(), loader.problems());
    }

    @Test
    void oneInvalidScenarioLeavesTheOthersValidAndEveryProblemNamesItsFile() {
        home.scenario("7", "Child", CHILD);
        home.scenario("7", "Bad1", step("{opName: Transform, opParams: {returnResult: true}}"));
        home.scenario("7", "Bad2", "steps: []\n");
        home.scenario("7", "Good", step("{opName: RunScenario, opParams: {scenario: Child, parameters: {code: x}}}"));
        List<String> problems;
        try (LogCapture log = LogCapture.start(Logger.getLogger(AppLoader.class.getName()))) {
            load(SqlDialect.H2);
            problems = new ArrayList<>(loader.problems());
            assertTrue(log.text().contains(file("Bad1") + ": step 1: query is required"), log.text());
        }
        valid("Child");
        valid("Good");
        assertEquals(List.of(file("Bad1") + ": step 1: query is required",
                file("Bad2") + ": steps: a list of at least one step is required"), problems);
        assertTrue(app.isValid());
    }
}
