package org.openinfolink.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openinfolink.json.Json;
import org.openinfolink.testdb.DatabaseServer;
import org.openinfolink.testdb.TestDatabase;
import org.openinfolink.testsupport.Poll;
import org.openinfolink.testsupport.TestHome;

/**
 * A 1,000,000-row, 6-column result through a stock Tomcat whose heap is capped at 256 MB
 * (system property {@code infolink.it.heap}), on H2 (the context file's {@code jdbc/infolink})
 * and on PostgreSQL: the rows arrive whole, sync and async, and the server does not run out of
 * memory. Without streaming (an H2 query without lazy execution, a PostgreSQL query without a
 * cursor) the result alone would not fit in that heap.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LargeResultIT {

    static final int ROWS = 1_000_000;

    static final String H2_QUERY = """
            SELECT "X" AS id, CONCAT('name-', "X") AS name, CAST("X" / 100.0 AS DECIMAL(12,2)) AS amount,
                   "X" / 3.0E0 AS ratio, MOD("X", 2) = 0 AS flag,
                   DATEADD(SECOND, "X", TIMESTAMP '2026-01-01 00:00:00') AS created
            FROM SYSTEM_RANGE(1, %d)""".formatted(ROWS);

    static final String POSTGRES_QUERY = """
            SELECT i AS id, 'name-' || i AS name, (i / 100.0)::numeric(12,2) AS amount,
                   i / 3.0::float8 AS ratio, i %% 2 = 0 AS flag,
                   TIMESTAMP '2026-01-01' + i * INTERVAL '1 second' AS created
            FROM generate_series(1, %d) AS i""".formatted(ROWS);

    private static final ObjectReader RECORD = Json.mapper().readerFor(JsonNode.class)
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private StockTomcat tomcat;
    private String key;

    @BeforeAll
    void start() throws Exception {
        DatabaseServer postgres = TestDatabase.POSTGRESQL.server().createDatabase("large");
        TestHome home = TestHome.create("large-result");
        home.settings("jobs:\n  syncTimeoutSeconds: 600\n  maxResultRows: " + ROWS + "\n");
        key = home.client("loader", List.of("big"), null);
        home.app("big", """
                sources:
                  pg:
                    url: %s
                    username: %s
                    password: %s
                """.formatted(postgres.url(), postgres.username(), postgres.password()));
        home.scenario("big", "H2Million", scenario(null, H2_QUERY));
        home.scenario("big", "PostgresMillion", scenario("pg", POSTGRES_QUERY));

        String distribution = System.getProperty("infolink.it.tomcats").split(",")[0];
        tomcat = StockTomcat.start(StockTomcat.Options.forDistribution(Path.of(distribution))
                .war(Path.of(System.getProperty("infolink.it.war")))
                .contextFile(Path.of("tomcat-conf", "infolink.xml"))
                .catalinaBase(Path.of("target", "it-tomcat", "large-result"))
                .jvmOption("-Xmx" + System.getProperty("infolink.it.heap", "256m"))
                .jvmOption("-XX:+ExitOnOutOfMemoryError")
                .systemProperty("infolink.home", home.path().toString()));
    }

    @AfterAll
    void stop() {
        if (tomcat != null) {
            tomcat.close();
        }
    }

    private static String scenario(String sourceName, String query) {
        return """
                steps:
                  - opName: Transform
                    opParams:
                %s      query: |
                %s
                      returnResult: true
                      resultName: million
                """.formatted(sourceName == null ? "" : "      sourceName: " + sourceName + "\n",
                query.lines().map(line -> "          " + line).reduce((a, b) -> a + "\n" + b).orElseThrow());
    }

    @Test
    void aMillionRowsFromH2ArriveWholeSync() throws Exception {
        assertWhole(executeSync("H2Million"));
    }

    @Test
    void aMillionRowsFromPostgresArriveWholeSync() throws Exception {
        assertWhole(executeSync("PostgresMillion"));
    }

    @Test
    void aMillionRowsFromPostgresArriveWholeAsync() throws Exception {
        ObjectNode body = request("PostgresMillion", true);
        JsonNode accepted = Json.mapper().readTree(http.send(post(body), HttpResponse.BodyHandlers.ofString()).body());
        String jobId = accepted.path("result").path("jobId").asText();
        assertFalse(jobId.isEmpty(), accepted.toString());
        URI status = tomcat.uri("/api/v1/getJobStatus.jsp?appId=big&jobId=" + URLEncoder.encode(jobId,
                StandardCharsets.UTF_8) + "&noResultSchema=true");
        Poll.until(Duration.ofMinutes(5), () -> Json.mapper().readTree(http.send(get(status),
                        HttpResponse.BodyHandlers.ofString()).body()).path("result").path("state").asText(),
                state -> !state.equals("queued") && !state.equals("running"), "job " + jobId + " finished");
        assertWhole(http.send(get(status), HttpResponse.BodyHandlers.ofInputStream()).body());
    }

    private InputStream executeSync(String scenario) throws Exception {
        HttpResponse<InputStream> response = http.send(post(request(scenario, false)),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        return response.body();
    }

    private ObjectNode request(String scenario, boolean isAsync) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("apiKey", key);
        body.put("appId", "big");
        body.putObject("operation").put("opName", "RunScenario").putObject("opParams").put("scenario", scenario);
        body.put("isAsync", isAsync);
        return body;
    }

    private HttpRequest post(ObjectNode body) {
        return HttpRequest.newBuilder(tomcat.uri("/api/v1/executeJob.jsp")).timeout(Duration.ofMinutes(10))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
    }

    private HttpRequest get(URI uri) {
        return HttpRequest.newBuilder(uri).header("X-API-Key", key).timeout(Duration.ofMinutes(10)).GET().build();
    }

    /**
     * Reads the answer as a stream, counting the records of the one result set and checking the
     * first and last, and that the envelope ends with status success.
     */
    private void assertWhole(InputStream answer) throws Exception {
        long records = 0;
        JsonNode first = null;
        JsonNode last = null;
        String status = null;
        try (InputStream in = answer; JsonParser parser = Json.mapper().createParser(in)) {
            while (parser.nextToken() != null) {
                if (parser.currentToken() == JsonToken.FIELD_NAME && parser.currentName().equals("records")) {
                    assertEquals(JsonToken.START_ARRAY, parser.nextToken());
                    while (parser.nextToken() == JsonToken.START_OBJECT) {
                        JsonNode record = RECORD.readValue(parser);
                        if (first == null) {
                            first = record;
                        }
                        last = record;
                        records++;
                    }
                } else if (parser.currentToken() == JsonToken.FIELD_NAME && parser.currentName().equals("status")
                        && parser.getParsingContext().getParent().inRoot()) {
                    status = parser.nextTextValue();
                }
            }
        }
        assertEquals("success", status, "the envelope ends with status success");
        assertEquals(ROWS, records);
        assertEquals(1, first.path("id").asLong());
        assertEquals("name-1", first.path("name").asText());
        assertEquals(new BigDecimal("0.01"), first.path("amount").decimalValue());
        assertEquals(ROWS, last.path("id").asLong());
        assertEquals("name-" + ROWS, last.path("name").asText());
        assertEquals(new BigDecimal("10000.00"), last.path("amount").decimalValue());
        assertTrue(last.path("flag").asBoolean());
        assertTrue(last.path("created").asText().startsWith("2026-01-12T13:46:40"), last.toString());
        assertTrue(tomcat.isAlive(), "the server survived");
        assertFalse(tomcat.catalinaOutText().contains("java.lang.OutOfMemoryError"));
    }
}
