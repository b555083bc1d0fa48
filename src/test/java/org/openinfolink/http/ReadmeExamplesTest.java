package org.openinfolink.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openinfolink.config.DemoHome;
import org.openinfolink.json.Json;

/**
 * Runs every curl command of the README's "The API with curl" section, as written, with real
 * curl against the built-in demo; only the host and port are changed to the test server's.
 */
class ReadmeExamplesTest {

    private static final String README_BASE = "http://localhost:8080/infolink";

    @Test
    void everyCurlExampleOfTheReadmeAnswersSuccess() throws Exception {
        List<String> commands = curlCommands(Files.readString(Path.of("README.md"), StandardCharsets.UTF_8));
        assertTrue(commands.size() >= 8, "the README shows the curl calls: " + commands);
        assertTrue(commands.stream().anyMatch(c -> c.contains("/api/v1/executeJob.jsp")));
        assertTrue(commands.stream().anyMatch(c -> c.contains("/api/v1/getJobStatus.jsp")));
        assertTrue(commands.stream().anyMatch(c -> c.contains("/api/v1/stop.jsp")));
        assertTrue(commands.stream().allMatch(c -> c.contains(DemoHome.DEMO_API_KEY)), "written with the demo key");

        try (EmbeddedServer server = new EmbeddedServer(null)) {
            String base = server.url("");
            Api api = new Api(server);
            for (String command : commands) {
                JsonNode answer = run(command.replace(README_BASE, base));
                assertEquals("success", answer.path("status").asText(), command + "\n -> " + answer);
                if (command.contains("\"jobId\": \"readme-1\"")) {
                    api.awaitFinished(DemoHome.DEMO_API_KEY, "7", "readme-1", Duration.ofSeconds(30));
                }
                if (command.contains("\"scenario\": \"Main\"") && command.contains("\"isAsync\": false")) {
                    JsonNode records = answer.path("result").path("results").get(0).path("result").path("records");
                    assertEquals("IBM", records.get(0).path("company_name").asText());
                    assertEquals("Microsoft", records.get(1).path("company_name").asText());
                }
            }
        }
    }

    /** The curl lines of the section that shows the API with curl. */
    private static List<String> curlCommands(String readme) {
        int start = readme.indexOf("## The API with curl");
        int end = readme.indexOf("\n## ", start + 1);
        List<String> commands = new ArrayList<>();
        for (String line : readme.substring(start, end).split("\n")) {
            if (line.startsWith("curl ")) {
                commands.add(line);
            }
        }
        return commands;
    }

    private static JsonNode run(String command) throws Exception {
        Process curl = new ProcessBuilder("bash", "-c", command.replaceFirst("^curl ", "curl -sS "))
                .redirectErrorStream(true).start();
        byte[] output = curl.getInputStream().readAllBytes();
        assertTrue(curl.waitFor(60, TimeUnit.SECONDS), "curl finished");
        assertEquals(0, curl.exitValue(), new String(output, StandardCharsets.UTF_8));
        return Json.mapper().readTree(output);
    }
}
