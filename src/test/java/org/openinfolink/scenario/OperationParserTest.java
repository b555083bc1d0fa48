package org.openinfolink.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openinfolink.json.Json;

/** {@link OperationParser} on request JSON, as a direct operation of {@code executeJob} arrives. */
class OperationParserTest {

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Operation parse(OperationType type, String opParams) throws InvalidOperationException {
        return OperationParser.parse(type, json(opParams));
    }

    private static String refusal(OperationType type, String opParams) {
        return assertThrows(InvalidOperationException.class, () -> parse(type, opParams)).getMessage();
    }

    @Test
    void parsesATransformFromJson() throws InvalidOperationException {
        Operation operation = parse(OperationType.TRANSFORM, """
                {"sourceName": "crm", "query": "SELECT 1 AS one", "returnResult": true, "resultName": "ones",
                 "limit": 10, "queryTimeoutSeconds": 5}""");
        assertEquals(new Operation.Transform("crm", "SELECT 1 AS one", true, "ones", null, 10L, 5), operation);
        assertEquals(OperationType.TRANSFORM, operation.type());
        assertEquals("Transform: ones", operation.defaultTitle());
    }

    @Test
    void parsesATransformIntoATable() throws InvalidOperationException {
        Operation operation = parse(OperationType.TRANSFORM, """
                {"query": "SELECT 1 AS one", "into": {"sourceName": "dw", "tableName": "s.t", "mode": "replace",
                 "batchSize": "50"}}""");
        assertEquals(new Operation.Transform(null, "SELECT 1 AS one", false, null,
                new Operation.Into("dw", "s.t", true, 50), null, null), operation);
        assertEquals("Transform: s.t", operation.defaultTitle());
    }

    @Test
    void emptyStringsAreAbsentValues() throws InvalidOperationException {
        Operation operation = parse(OperationType.TRANSFORM,
                "{\"sourceName\": \"\", \"query\": \"SELECT 1\", \"returnResult\": true, \"resultName\": \"\"}");
        assertEquals(new Operation.Transform(null, "SELECT 1", true, null, null, null, null), operation);
        assertEquals("Transform", operation.defaultTitle());
    }

    @Test
    void parsesTheOtherOperations() throws InvalidOperationException {
        assertEquals(new Operation.RunSourceScript("dw", "DELETE FROM t", null),
                parse(OperationType.RUN_SOURCE_SCRIPT, "{\"sourceName\": \"dw\", \"script\": \"DELETE FROM t\"}"));
        assertEquals("RunSourceScript: dw",
                parse(OperationType.RUN_SOURCE_SCRIPT, "{\"sourceName\": \"dw\", \"script\": \"x\"}").defaultTitle());
        assertEquals(new Operation.SetVariable("region", "EU"),
                parse(OperationType.SET_VARIABLE, "{\"name\": \"region\", \"value\": \"EU\"}"));
        assertEquals(new Operation.SetVariable("n", "12.50"),
                parse(OperationType.SET_VARIABLE, "{\"name\": \"n\", \"value\": 12.50}"));

        Operation.RunScenario run = (Operation.RunScenario) parse(OperationType.RUN_SCENARIO,
                "{\"scenario\": \"Main\", \"parameters\": {\"country\": \"US\", \"minId\": 2, \"x\": null}}");
        assertEquals("Main", run.scenario());
        assertEquals(List.of("country", "minId", "x"), List.copyOf(run.parameters().keySet()));
        assertEquals("RunScenario: Main", run.defaultTitle());
        assertThrows(UnsupportedOperationException.class, () -> run.parameters().put("y", NullNode.getInstance()));
        assertEquals(Map.of(), ((Operation.RunScenario) parse(OperationType.RUN_SCENARIO,
                "{\"scenario\": \"Main\", \"parameters\": null}")).parameters());
    }

    @Test
    void missingOrNullOpParamsAreEmpty() {
        InvalidOperationException error = assertThrows(InvalidOperationException.class,
                () -> OperationParser.parse(OperationType.TRANSFORM, null));
        assertEquals("query is required", error.getMessage());
        error = assertThrows(InvalidOperationException.class,
                () -> OperationParser.parse(OperationType.RUN_SCENARIO, MissingNode.getInstance()));
        assertEquals("scenario is required", error.getMessage());
        error = assertThrows(InvalidOperationException.class,
                () -> OperationParser.parse(OperationType.SET_VARIABLE, NullNode.getInstance()));
        assertEquals("name is required", error.getMessage());
    }

    @Test
    void opParamsMustBeAnObject() {
        assertEquals("opParams must be an object", refusal(OperationType.TRANSFORM, "\"SELECT 1\""));
        assertEquals("opParams must be an object", refusal(OperationType.RUN_SCENARIO, "[\"Main\"]"));
    }

    @Test
    void numbersAreNotBooleans() {
        assertEquals("returnResult must be true or false",
                refusal(OperationType.TRANSFORM, "{\"query\": \"SELECT 1\", \"returnResult\": 1}"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "limit               | 0                   | 0",
        "limit               | 9223372036854775807 | 9223372036854775807",
        "limit               | 5.0                 | 5",
        "queryTimeoutSeconds | 2147483647          | 2147483647",
    })
    void integerOpParamsAcceptTheirBounds(String key, String value, long expected) throws InvalidOperationException {
        Operation.Transform transform = (Operation.Transform) parse(OperationType.TRANSFORM,
                "{\"query\": \"SELECT 1\", \"returnResult\": true, \"" + key + "\": " + value + "}");
        assertEquals(expected, key.equals("limit") ? transform.limit() : (long) transform.queryTimeoutSeconds());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "limit               | -1                   | limit must be between 0 and 9223372036854775807",
        "limit               | 9223372036854775808  | limit must be between 0 and 9223372036854775807",
        "limit               | '\"-1\"'             | limit must be between 0 and 9223372036854775807",
        "limit               | true                 | limit must be an integer",
        "queryTimeoutSeconds | 2147483648           | queryTimeoutSeconds must be between 1 and 2147483647",
    })
    void integerOpParamsOutsideTheirRangeAreRefused(String key, String value, String expected) {
        assertEquals(expected, refusal(OperationType.TRANSFORM,
                "{\"query\": \"SELECT 1\", \"returnResult\": true, \"" + key + "\": " + value + "}"));
    }

    /**
     * An integer beyond the range of a long must be refused like any other out-of-range value, not
     * wrapped round to a small one: 2^64 would otherwise become a limit of 0 rows, 2^64 + 1 a
     * timeout of 1 second or a batch size of 1.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "\"limit\": 18446744073709551616                                | limit must be between 0 and 9223372036854775807",
        "\"limit\": 1e30                                                | limit must be between 0 and 9223372036854775807",
        "\"queryTimeoutSeconds\": 18446744073709551617                  | queryTimeoutSeconds must be between 1 and 2147483647",
    })
    void integerOpParamsBeyondALongAreRefusedNotWrapped(String member, String expected) {
        String message = assertThrows(InvalidOperationException.class, () -> parse(OperationType.TRANSFORM,
                "{\"query\": \"SELECT 1\", \"returnResult\": true, " + member + "}"),
                member + " was accepted").getMessage();
        assertEquals(expected, message);
    }

    @Test
    void aBatchSizeBeyondALongIsRefusedNotWrapped() {
        String message = assertThrows(InvalidOperationException.class, () -> parse(OperationType.TRANSFORM,
                "{\"query\": \"SELECT 1\", \"into\": {\"tableName\": \"t\", \"batchSize\": 18446744073709551617}}"),
                "batchSize 2^64 + 1 was accepted").getMessage();
        assertEquals("into.batchSize must be between 1 and 100000", message);
    }

    @Test
    void namesAndValuesAreChecked() {
        assertEquals("name 'a/b' is not a valid variable name",
                refusal(OperationType.SET_VARIABLE, "{\"name\": \"a/b\", \"value\": \"x\"}"));
        assertEquals("value must be a string",
                refusal(OperationType.SET_VARIABLE, "{\"name\": \"a\", \"value\": {\"x\": 1}}"));
        assertEquals("parameter 'p' must be a string, number or boolean",
                refusal(OperationType.RUN_SCENARIO, "{\"scenario\": \"Main\", \"parameters\": {\"p\": [1]}}"));
        assertEquals("scenario must be a string", refusal(OperationType.RUN_SCENARIO, "{\"scenario\": true}"));
        assertTrue(OperationParser.NAME.matcher("app.last-run_2").matches());
    }
}
