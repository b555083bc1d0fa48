package org.openinfolink.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openinfolink.config.DemoHome;
import org.openinfolink.json.Json;

/**
 * Runs the curl script of the README's "OAuth2 tokens with curl" as written, with real curl and
 * bash, against the built-in demo; only the host and port are changed to the test server's.
 */
class ReadmeTokenExamplesTest {

    private static final String README_BASE = "http://localhost:8080/infolink";

    @Test
    void theTokenScriptOfTheReadmeRunsAJobWithATokenAndRefreshesIt() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        int section = readme.indexOf("### OAuth2 tokens with curl");
        int start = readme.indexOf("```sh\n", section) + "```sh\n".length();
        String script = readme.substring(start, readme.indexOf("```", start));
        assertTrue(script.contains(DemoHome.DEMO_CLIENT_SECRET), "written with the demo's client secret");
        assertTrue(script.contains("Authorization: Bearer $TOKEN"), script);

        try (EmbeddedServer server = new EmbeddedServer(null)) {
            Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "readme-tokens");
            Process bash = new ProcessBuilder("bash", "-e", "-c", script.replace(README_BASE, server.url(""))
                    .replace("curl ", "curl -sS "))
                    .directory(dir.toFile()).redirectErrorStream(true).start();
            byte[] output = bash.getInputStream().readAllBytes();
            assertTrue(bash.waitFor(60, TimeUnit.SECONDS), "the script finished");
            String text = new String(output, StandardCharsets.UTF_8);
            assertEquals(0, bash.exitValue(), text);

            JsonNode token = Json.mapper().readTree(dir.resolve("token.json").toFile());
            assertEquals("Bearer", token.path("token_type").asText(), token.toString());
            List<JsonNode> answers;
            try (MappingIterator<JsonNode> values = Json.mapper().readerFor(JsonNode.class).readValues(text)) {
                answers = values.readAll();
            }
            assertEquals(2, answers.size(), text);
            JsonNode job = answers.get(0);
            assertEquals("success", job.path("status").asText(), job.toString());
            assertEquals("IBM", job.path("result").path("results").get(0).path("result").path("records").get(0)
                    .path("company_name").asText());
            JsonNode refreshed = answers.get(1);
            assertTrue(refreshed.path("access_token").asText().startsWith("ila_"), refreshed.toString());
            assertTrue(!refreshed.path("refresh_token").asText().equals(token.path("refresh_token").asText()),
                    "a new refresh token");
        }
    }
}
