package org.openinfolink.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openinfolink.config.DemoHome;

/** The built-in demo answers the original's documented example (CONTRACT section 8). */
class DemoTest {

    private static EmbeddedServer server;
    private static Api api;

    @BeforeAll
    static void start() throws Exception {
        server = new EmbeddedServer(null);
        api = new Api(server);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void documentedExampleAnswersCompaniesIbmAndMicrosoft() throws Exception {
        Api.Answer answer = api.post("/api/v1/executeJob.jsp",
                Api.runScenario(DemoHome.DEMO_API_KEY, "7", "Main", false));
        System.out.println(answer);
        assertEquals("success", answer.status(), answer.toString());
        JsonNode results = answer.result().path("results");
        assertEquals(1, results.size());
        assertEquals("companies", results.get(0).path("name").asText());
    }
}
