package org.openinfolink.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openinfolink.json.Json;
import org.openinfolink.scenario.App;
import org.openinfolink.scenario.AppLoader;
import org.openinfolink.scenario.Scenario;
import org.openinfolink.sql.SqlDialect;
import org.openinfolink.testsupport.TestHome;

/** {@link ScenarioParameters#convert}: a request's parameters against a scenario loaded from its file. */
class ScenarioParametersTest {

    private static Scenario main;

    @BeforeAll
    static void loadMain() {
        TestHome home = TestHome.create("parameters").app("7", "name: CRM\n").scenario("7", "Main", """
                parameters:
                  country: {type: text, required: true}
                  minId:   {type: integer, default: 0}
                  rate:    {type: decimal}
                  active:  {type: boolean, default: true}
                  since:   {type: date}
                  at:      {type: datetime}
                steps:
                  - opName: Transform
                    opParams:
                      query: SELECT ${country}, ${minId}, ${rate}, ${active}, ${since}, ${at}
                      returnResult: true
                """);
        AppLoader loader = new AppLoader(name -> null, SqlDialect.H2);
        App app = loader.load(home.path()).get("7");
        assertEquals(List.of(), loader.problems());
        main = app.scenario("Main").orElseThrow().scenario();
    }

    /** Parameters as the request body's {@code parameters} object carries them. */
    private static Map<String, JsonNode> request(String json) {
        try {
            Map<String, JsonNode> values = new LinkedHashMap<>();
            Json.mapper().readTree(json).properties().forEach(field -> values.put(field.getKey(), field.getValue()));
            return values;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String refusal(String json) {
        return assertThrows(RequestRejectedException.class, () -> ScenarioParameters.convert(main, request(json)))
                .getMessage();
    }

    @Test
    void convertsGivenValuesAndFillsInDefaults() {
        Map<String, Object> values = ScenarioParameters.convert(main, request("""
                {"country": "US", "rate": "12345678901234567890.000000000000000000001", "since": "2026-11-29",
                 "at": "2026-11-29 20:11:29", "active": "false"}"""));
        assertEquals("US", values.get("country"));
        assertEquals(0L, values.get("minId"));
        assertEquals(new BigDecimal("12345678901234567890.000000000000000000001"), values.get("rate"));
        assertEquals(false, values.get("active"));
        assertEquals(LocalDate.of(2026, 11, 29), values.get("since"));
        assertEquals(LocalDateTime.of(2026, 11, 29, 20, 11, 29), values.get("at"));
        assertEquals(6, values.size());
    }

    @Test
    void aStringIsAValidInteger() {
        assertEquals(5L, ScenarioParameters.convert(main, request("{\"country\": \"US\", \"minId\": \"5\"}")).get("minId"));
        assertEquals(5L, ScenarioParameters.convert(main, request("{\"country\": \"US\", \"minId\": 5}")).get("minId"));
    }

    @Test
    void absentAndNullOptionalParametersTakeTheirDefaultOrNull() {
        Map<String, Object> values = ScenarioParameters.convert(main,
                request("{\"country\": \"US\", \"minId\": null, \"rate\": null}"));
        assertEquals(0L, values.get("minId"));
        assertEquals(true, values.get("active"));
        assertNull(values.get("rate"));
        assertNull(values.get("since"));
        assertEquals(6, values.size(), "every declared parameter has an entry");
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedWithTheDocumentedMessage() {
        assertEquals("Parameter 'minId' of scenario 'Main' must be an integer, got 'abc'.",
                refusal("{\"country\": \"US\", \"minId\": \"abc\"}"));
        assertEquals("Parameter 'minId' of scenario 'Main' must be an integer, got '1.5'.",
                refusal("{\"country\": \"US\", \"minId\": 1.5}"));
        assertEquals("Parameter 'minId' of scenario 'Main' must be an integer, got '[1,2]'.",
                refusal("{\"country\": \"US\", \"minId\": [1, 2]}"));
        assertEquals("Parameter 'rate' of scenario 'Main' must be a decimal number, got '1,5'.",
                refusal("{\"country\": \"US\", \"rate\": \"1,5\"}"));
        assertEquals("Parameter 'active' of scenario 'Main' must be true or false, got 'yes'.",
                refusal("{\"country\": \"US\", \"active\": \"yes\"}"));
        assertEquals("Parameter 'since' of scenario 'Main' must be a date (yyyy-mm-dd), got '29.11.2026'.",
                refusal("{\"country\": \"US\", \"since\": \"29.11.2026\"}"));
        assertEquals("Parameter 'at' of scenario 'Main' must be a date-time (ISO-8601, e.g. 2026-11-29T20:11:29),"
                + " got 'tonight'.", refusal("{\"country\": \"US\", \"at\": \"tonight\"}"));
        assertEquals("Parameter 'country' of scenario 'Main' must be text, got '{\"code\":\"US\"}'.",
                refusal("{\"country\": {\"code\": \"US\"}}"));
    }

    @Test
    void aMissingRequiredParameterIsRefused() {
        assertEquals("Parameter 'country' of scenario 'Main' is required.", refusal("{}"));
        assertEquals("Parameter 'country' of scenario 'Main' is required.", refusal("{\"country\": null}"));
        assertEquals("Parameter 'country' of scenario 'Main' is required.", refusal("{\"minId\": 3}"));
    }

    @Test
    void anUndeclaredParameterIsRefused() {
        assertEquals("Scenario 'Main' has no parameter 'colour'.", refusal("{\"country\": \"US\", \"colour\": \"red\"}"));
        assertEquals("Scenario 'Main' has no parameter 'Country'.", refusal("{\"Country\": \"US\"}"));
    }

    @Test
    void theRequestsValuesAreNotChanged() {
        Map<String, JsonNode> values = request("{\"country\": \"US\"}");
        ScenarioParameters.convert(main, values);
        assertEquals(Map.of("country", Json.mapper().getNodeFactory().textNode("US")), values);
        assertEquals(NullNode.getInstance(), request("{\"x\": null}").get("x"));
    }
}
