package org.openinfolink.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openinfolink.testsupport.LogCapture;
import org.openinfolink.testsupport.Poll;

/** A finished job is one INFO line of the server log, with its status and duration; not two. */
class JobLogTest {

    @Test
    void oneInfoLinePerFinishedJob() throws Exception {
        ApiFixture fixture = new ApiFixture("job-log", null);
        try (LogCapture log = LogCapture.start(Logger.getLogger(""));
             EmbeddedServer server = new EmbeddedServer(fixture.home.path())) {
            Api api = new Api(server);
            var body = Api.runScenario(fixture.app7Key, "7", "Companies", true);
            ((com.fasterxml.jackson.databind.node.ObjectNode) body.path("operation").path("opParams")
                    .path("parameters")).put("country", "US");
            body.put("jobId", "logged-once");
            api.post("/api/v1/executeJob.jsp", body);
            api.awaitFinished(fixture.app7Key, "7", "logged-once", Duration.ofSeconds(30));
            api.post("/api/v1/executeJob.jsp", Api.runScenario(fixture.app7Key, "7", "FailsHalfway", false)
                    .put("jobId", "fails-once"));

            List<String> lines = Poll.until(Duration.ofSeconds(10), () -> log.text().lines()
                    .filter(line -> line.startsWith("INFO: Job ")) // not the audit trail's lines of the calls
                    .filter(line -> line.contains("logged-once") || line.contains("fails-once"))
                    .collect(Collectors.toList()), found -> found.size() >= 2, "the job lines");
            assertEquals(2, lines.size(), log.text());
            assertTrue(lines.get(0).matches("INFO: Job logged-once of app 7 ended completed in \\d+ ms "
                    + "\\(scenario Companies, client app7, node .+\\)"), lines.get(0));
            assertTrue(lines.get(1).matches("INFO: Job fails-once of app 7 ended completedWithError: Step 2 "
                    + "\\(missing table\\) failed: .+ in \\d+ ms \\(scenario FailsHalfway, client app7, node .+\\)"),
                    lines.get(1));
        }
    }
}
