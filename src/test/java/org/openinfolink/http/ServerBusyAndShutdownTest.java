package org.openinfolink.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** SERVER_BUSY beyond the queue, and what a job in flight sees when the server stops. */
class ServerBusyAndShutdownTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aFullQueueAnswersServerBusy() throws Exception {
        ApiFixture fixture = new ApiFixture("busy", """
                jobs:
                  maxConcurrent: 1
                  maxQueued: 1
                api:
                  httpErrorStatus: true
                """);
        try (EmbeddedServer server = new EmbeddedServer(fixture.home.path())) {
            Api api = new Api(server);
            String running = api.post("/api/v1/executeJob.jsp", Api.runScenario(fixture.app7Key, "7", "Slow", true))
                    .result().path("jobId").asText();
            api.awaitState(fixture.app7Key, "7", running, "running", WAIT);
            String queued = api.post("/api/v1/executeJob.jsp", Api.runScenario(fixture.app7Key, "7", "Slow", true))
                    .result().path("jobId").asText();
            assertEquals("queued", api.status(fixture.app7Key, "7", queued).result().path("state").asText());

            Api.Answer busy = api.post("/api/v1/executeJob.jsp", Api.runScenario(fixture.app7Key, "7", "Slow", true));
            assertEquals("SERVER_BUSY", busy.code(), busy.toString());
            assertEquals(503, busy.httpStatus());
            assertEquals("Server is busy: 1 jobs are queued. Retry later.", busy.result().path("message").asText());

            for (String jobId : new String[] {queued, running}) {
                api.get("/api/v1/stopJob.jsp", Api.params("apiKey", fixture.app7Key, "appId", "7", "jobId", jobId));
                assertEquals("stopped", api.awaitFinished(fixture.app7Key, "7", jobId, WAIT)
                        .result().path("status").asText());
            }
            Api.Answer accepted = api.post("/api/v1/executeJob.jsp",
                    Api.runScenario(fixture.app8Key, "8", "Hello", false));
            assertEquals("success", accepted.status(), "room again once the queue drained: " + accepted);
        }
    }

    @Test
    void aServerThatIsShuttingDownRefusesNewJobs() throws Exception {
        ApiFixture fixture = new ApiFixture("shutting-down", "api:\n  httpErrorStatus: true\n");
        try (EmbeddedServer server = new EmbeddedServer(fixture.home.path())) {
            Api api = new Api(server);
            server.closeJobRegistry();

            Api.Answer refused = api.post("/api/v1/executeJob.jsp",
                    Api.runScenario(fixture.app8Key, "8", "Hello", false));
            assertEquals("SHUTTING_DOWN", refused.code(), refused.toString());
            assertEquals(503, refused.httpStatus());
        }
    }

    @Test
    void stoppingTheServerStopsRunningJobsAndAnswersTheCallerWaitingForOne() throws Exception {
        ApiFixture fixture = new ApiFixture("shutdown", """
                jobs:
                  shutdownTimeoutSeconds: 1
                """);
        try (EmbeddedServer server = new EmbeddedServer(fixture.home.path())) {
            Api api = new Api(server);
            CompletableFuture<Api.Answer> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return api.post("/api/v1/executeJob.jsp", Api.runScenario(fixture.app7Key, "7", "Slow", false)
                            .put("jobId", "in-flight"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            api.awaitState(fixture.app7Key, "7", "in-flight", "running", WAIT);

            server.stopContext();

            Api.Answer answer = waiting.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            assertEquals("JOB_STOPPED", answer.code(), answer.toString());
            assertEquals("Interrupted: server shut down.", answer.result().path("message").asText());
            assertTrue(answer.result().path("results").isArray());
        }
    }
}
