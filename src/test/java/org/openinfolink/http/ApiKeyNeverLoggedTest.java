package org.openinfolink.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.openinfolink.testsupport.LogCapture;

/**
 * API keys, valid or not, sent in the body, the query string, a path parameter or the X-API-Key
 * header, never appear in the server log, the access log or an answer.
 */
class ApiKeyNeverLoggedTest {

    @Test
    void keysNeverReachTheLogsOrTheAnswers() throws Exception {
        ApiFixture fixture = new ApiFixture("keys", null);
        String unknownKey = "il_unknown-" + "k".repeat(30);
        List<String> secrets = List.of(fixture.app7Key, fixture.allAppsKey, fixture.adminKey, fixture.app8Key,
                unknownKey);
        StringBuilder answers = new StringBuilder();
        Path accessLogs;
        try (LogCapture log = LogCapture.start(Logger.getLogger(""));
             EmbeddedServer server = new EmbeddedServer(fixture.home.path())) {
            Api api = new Api(server);
            accessLogs = server.baseDir().resolve("logs");

            Api.Answer body = api.post("/api/v1/executeJob.jsp", Api.runScenario(fixture.app7Key, "7", "FailsHalfway",
                    false));
            answers.append(body.body());
            String jobId = body.result().path("jobId").asText();
            answers.append(api.status(fixture.app7Key, "7", jobId).body());
            answers.append(api.get("/api/v1/getJobStatus.jsp", Api.params("apiKey", unknownKey, "appId", "7",
                    "jobId", jobId)).body());
            answers.append(api.send(HttpRequest.newBuilder(URI.create(server.url(
                    "/api/v1/getJobStatus.jsp?appId=7&jobId=" + jobId))).header("X-API-Key", fixture.allAppsKey)
                    .GET().build()).body());
            answers.append(api.send(HttpRequest.newBuilder(URI.create(server.url("/api/v1/getJobStatus.jsp;apiKey="
                    + fixture.app8Key + "?appId=7&jobId=" + jobId))).GET().build()).body());
            answers.append(api.get("/api/v1/stopJob.jsp", Api.params("apiKey", fixture.adminKey, "appId", "7",
                    "jobId", jobId)).body());
            answers.append(api.get("/api/v1/getJobs.jsp", Api.params("apiKey", fixture.app8Key, "appId", "7")).body());
            answers.append(api.post("/api/v1/executeJob.jsp", "{\"apiKey\": \"" + unknownKey + "\"").body());
            answers.append(api.post("/api/v1/executeJob.jsp", "{\"apiKey\": " + fixture.app7Key + "}").body());
            answers.append(api.get("/api/v1/nothing.jsp", Api.params("apiKey", fixture.app7Key)).body());
            answers.append(api.method("DELETE", "/api/v1/getJobStatus.jsp?apiKey=" + fixture.app7Key).body());
            Api.Answer timedOut = api.post("/api/v1/executeJob.jsp", Api.runScenario(fixture.adminKey, "7", "Slow", true));
            api.get("/api/v1/stopJob.jsp", Api.params("apiKey", fixture.adminKey, "appId", "7",
                    "jobId", timedOut.result().path("jobId").asText()));
            api.awaitFinished(fixture.adminKey, "7", timedOut.result().path("jobId").asText(), Duration.ofSeconds(30));

            String logged = log.text();
            assertTrue(logged.matches("(?s).* ended \\S+.* in \\d+ ms \\(scenario \\w+, client app7, node .*"), "the log names the client instead: " + logged);
            for (String secret : secrets) {
                assertFalse(logged.contains(secret), "a key reached the server log");
                assertFalse(logged.contains(secret.substring(3, 19)), "part of a key reached the server log");
                assertFalse(answers.toString().contains(secret), "a key reached an answer");
            }
        }
        String accessLog;
        try (Stream<Path> files = Files.list(accessLogs)) {
            StringBuilder all = new StringBuilder();
            for (Path file : files.toList()) {
                all.append(Files.readString(file, StandardCharsets.UTF_8));
            }
            accessLog = all.toString();
        }
        assertTrue(accessLog.contains("/infolink/api/v1/getJobStatus.jsp?apiKey=****&appId=7"), accessLog);
        assertTrue(accessLog.contains("/infolink/api/v1/getJobStatus.jsp;apiKey=****?appId=7"), accessLog);
        assertEquals(-1, accessLog.indexOf("apiKey=il_"), accessLog);
        for (String secret : secrets) {
            assertFalse(accessLog.contains(secret), "a key reached the access log");
        }
    }
}
