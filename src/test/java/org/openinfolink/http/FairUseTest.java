package org.openinfolink.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Fair use (CONTRACT section 15): a client's share of the queue, and scenarios that run a limited
 * number of jobs at once, queueing or refusing the next.
 */
class FairUseTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** A scenario like Slow (runs until stopped) under a concurrency limit. */
    private static ApiFixture withLimitedScenario(String name, String settings, String concurrency) {
        ApiFixture fixture = new ApiFixture(name, settings);
        fixture.home.scenario("7", "Load", """
                description: Runs until stopped, one job at a time
                concurrency: %s
                steps:
                  - opName: Transform
                    opParams:
                      query: %s
                      returnResult: true
                """.formatted(concurrency, ApiFixture.SLOW_QUERY));
        return fixture;
    }

    @Test
    void aBusyScenarioThatRejectsAnswersScenarioBusyUntilItsJobEnds() throws Exception {
        ApiFixture fixture = withLimitedScenario("scenario-busy", "api:\n  httpErrorStatus: true\n",
                "{max: 1, whenBusy: reject}");
        try (EmbeddedServer server = new EmbeddedServer(fixture.home.path())) {
            Api api = new Api(server);
            String first = api.post("/api/v1/executeJob.jsp", Api.runScenario(fixture.app7Key, "7", "Load", true))
                    .result().path("jobId").asText();
            api.awaitState(fixture.app7Key, "7", first, "running", WAIT);

            Api.Answer busy = api.post("/api/v1/executeJob.jsp", Api.runScenario(fixture.app7Key, "7", "Load", true)
                    .put("jobId", "second"));
            assertEquals("SCENARIO_BUSY", busy.code(), busy.toString());
            assertEquals(409, busy.httpStatus());
            assertEquals("Scenario 'Load' already runs 1 job, its limit.", busy.result().path("message").asText());
            assertEquals("JOB_NOT_FOUND", api.status(fixture.app7Key, "7", "second").code(), "a refusal keeps nothing");
            Api.Answer other = api.post("/api/v1/executeJob.jsp", Api.runScenario(fixture.app8Key, "8", "Hello", false));
            assertEquals("success", other.status(), "other scenarios run: " + other);

            api.get("/api/v1/stopJob.jsp", Api.params("apiKey", fixture.app7Key, "appId", "7", "jobId", first));
            api.awaitFinished(fixture.app7Key, "7", first, WAIT);
            Api.Answer accepted = api.post("/api/v1/executeJob.jsp", Api.runScenario(fixture.app7Key, "7", "Load", true)
                    .put("jobId", "second"));
            assertEquals("success", accepted.status(), accepted.toString());
            api.awaitState(fixture.app7Key, "7", "second", "running", WAIT);
            api.get("/api/v1/stopJob.jsp", Api.params("apiKey", fixture.app7Key, "appId", "7", "jobId", "second"));
        }
    }

    @Test
    void aBusyScenarioThatQueuesHoldsTheNextJobUntilTheRunningOneEnds() throws Exception {
        ApiFixture fixture = withLimitedScenario("scenario-queue", "jobs:\n  maxConcurrent: 4\n", "{max: 1}");
        try (EmbeddedServer server = new EmbeddedServer(fixture.home.path())) {
            Api api = new Api(server);
            api.post("/api/v1/executeJob.jsp", Api.runScenario(fixture.app7Key, "7", "Load", true).put("jobId", "one"));
            api.awaitState(fixture.app7Key, "7", "one", "running", WAIT);
            api.post("/api/v1/executeJob.jsp", Api.runScenario(fixture.app7Key, "7", "Load", true).put("jobId", "two"));

            Api.Answer waiting = api.status(fixture.app7Key, "7", "two");
            assertEquals("queued", waiting.result().path("state").asText(), "three of four slots are free: " + waiting);

            api.get("/api/v1/stopJob.jsp", Api.params("apiKey", fixture.app7Key, "appId", "7", "jobId", "one"));
            api.awaitFinished(fixture.app7Key, "7", "one", WAIT);
            api.awaitState(fixture.app7Key, "7", "two", "running", WAIT);
            api.get("/api/v1/stopJob.jsp", Api.params("apiKey", fixture.app7Key, "appId", "7", "jobId", "two"));
            assertEquals("stopped", api.awaitFinished(fixture.app7Key, "7", "two", WAIT).result().path("status").asText());
        }
    }

    @Test
    void aClientFloodingTheQueueIsRefusedWhileAnotherClientsSyncCallIsAccepted() throws Exception {
        ApiFixture fixture = new ApiFixture("client-share", """
                jobs:
                  maxConcurrent: 1
                  maxQueued: 8
                  maxQueuedPerClient: 2
                api:
                  httpErrorStatus: true
                """);
        try (EmbeddedServer server = new EmbeddedServer(fixture.home.path())) {
            Api api = new Api(server);
            for (String jobId : new String[] {"flood-1", "flood-2", "flood-3"}) {
                Api.Answer accepted = api.post("/api/v1/executeJob.jsp",
                        Api.runScenario(fixture.app7Key, "7", "Slow", true).put("jobId", jobId));
                assertEquals("success", accepted.status(), accepted.toString());
            }
            Api.Answer refused = api.post("/api/v1/executeJob.jsp",
                    Api.runScenario(fixture.app7Key, "7", "Slow", true).put("jobId", "flood-4"));
            assertEquals("SERVER_BUSY", refused.code(), refused.toString());
            assertEquals(503, refused.httpStatus());
            assertEquals("Client 'app7' has 2 jobs queued, its limit. Retry later.",
                    refused.result().path("message").asText());

            CompletableFuture<Api.Answer> sync = CompletableFuture.supplyAsync(() -> {
                try {
                    return api.post("/api/v1/executeJob.jsp", Api.runScenario(fixture.app8Key, "8", "Hello", false)
                            .put("jobId", "other-client"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            api.awaitState(fixture.app8Key, "8", "other-client", "queued", WAIT);
            for (String jobId : new String[] {"flood-1", "flood-2", "flood-3"}) {
                api.get("/api/v1/stopJob.jsp", Api.params("apiKey", fixture.app7Key, "appId", "7", "jobId", jobId));
            }
            Api.Answer answer = sync.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals("success", answer.status(), "the other client's sync call is served: " + answer);
        }
    }
}
