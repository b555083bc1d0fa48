package org.openinfolink.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openinfolink.config.DemoHome;
import org.openinfolink.json.Json;
import org.openinfolink.testsupport.LogCapture;

/** The built-in demo answers the original's documented example (CONTRACT section 8). */
class DemoTest {

    private static EmbeddedServer server;
    private static Api api;
    private static String startupLog;

    @BeforeAll
    static void start() throws Exception {
        try (LogCapture log = LogCapture.start(Logger.getLogger("org.openinfolink"))) {
            server = new EmbeddedServer(null);
            startupLog = log.text();
        }
        api = new Api(server);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void startsWithOneWarningNamingTheDemoKey() {
        List<String> warnings = new ArrayList<>();
        for (String line : startupLog.split("\n")) {
            if (line.startsWith("WARNING")) {
                warnings.add(line);
            }
        }
        assertEquals(1, warnings.size(), startupLog);
        assertTrue(warnings.get(0).contains("built-in demo"), warnings.get(0));
        assertTrue(warnings.get(0).contains(DemoHome.DEMO_API_KEY), warnings.get(0));
    }

    @Test
    void documentedExampleAnswersCompaniesIbmAndMicrosoft() throws Exception {
        Api.Answer answer = api.post("/api/v1/executeJob.jsp",
                Api.runScenario(DemoHome.DEMO_API_KEY, "7", "Main", false));

        assertEquals(200, answer.httpStatus());
        assertEquals("application/json;charset=UTF-8", answer.contentType().replace(" ", ""));
        assertEquals(List.of("result", "status"), fieldNames(answer.body()), "status is written last");
        assertEquals("success", answer.status(), answer.toString());
        JsonNode results = answer.result().path("results");
        assertEquals(1, results.size());
        JsonNode companies = results.get(0);
        assertEquals("companies", companies.path("name").asText());
        JsonNode schema = companies.path("result").path("schema");
        assertEquals(2, schema.size());
        assertEquals("id", schema.get(0).path("name").asText());
        assertEquals("company_name", schema.get(1).path("name").asText());
        for (JsonNode column : schema) {
            assertFalse(column.path("updateable").asBoolean(true));
            assertEquals(Json.mapper().readTree("{\"typeStr\": \"text\", \"name\": \"text\"}"),
                    column.path("typeStandard"));
        }
        assertEquals(Json.mapper().readTree("{\"typeStr\": \"character varying(50)\", "
                + "\"name\": \"character varying\", \"precision\": 50, \"scale\": 0}"), schema.get(0).path("type"));
        assertEquals(Json.mapper().readTree("[{\"id\": \"1\", \"company_name\": \"IBM\"}, "
                + "{\"id\": \"2\", \"company_name\": \"Microsoft\"}]"), companies.path("result").path("records"));
        assertFalse(answer.result().path("jobId").asText().isEmpty());
    }

    @Test
    void documentedExampleRunsAsAnAsyncJob() throws Exception {
        Api.Answer accepted = api.post("/api/v1/executeJob.jsp",
                Api.runScenario(DemoHome.DEMO_API_KEY, "7", "Main", true));
        assertEquals(List.of("jobId"), fieldNames(accepted.result()));
        String jobId = accepted.result().path("jobId").asText();

        Api.Answer done = api.awaitFinished(DemoHome.DEMO_API_KEY, "7", jobId, Duration.ofSeconds(30));
        assertEquals("completed", done.result().path("status").asText());
        assertEquals("Main", done.result().path("scenario").asText());
        assertEquals(Json.mapper().readTree("[{\"id\": \"1\", \"company_name\": \"IBM\"}, "
                        + "{\"id\": \"2\", \"company_name\": \"Microsoft\"}]"),
                done.result().path("results").get(0).path("result").path("records"));
    }

    @Test
    void theDemoKeyReachesOnlyTheDemoApp() throws Exception {
        Api.Answer other = api.post("/api/v1/executeJob.jsp",
                Api.runScenario(DemoHome.DEMO_API_KEY, "8", "Main", false));
        assertEquals("ACCESS_DENIED", other.code());
        Api.Answer scenarios = api.get("/api/v1/getScenarios.jsp", Api.params("apiKey", DemoHome.DEMO_API_KEY,
                "appId", "7"));
        List<String> names = new ArrayList<>();
        scenarios.result().path("scenarios").forEach(s -> names.add(s.path("name").asText()));
        assertEquals(List.of("Countries", "Main", "Setup"), names);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
