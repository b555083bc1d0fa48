package org.openinfolink.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openinfolink.json.Json;

/**
 * Jobs over HTTP on embedded Tomcat: async and sync runs, SYNC_TIMEOUT, retries with a caller's
 * job id, stopping queued and running jobs, failures, listings.
 */
class JobLifecycleTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static ApiFixture fixture;
    private static EmbeddedServer server;
    private static Api api;

    @BeforeAll
    static void start() throws Exception {
        fixture = new ApiFixture("lifecycle", """
                jobs:
                  maxConcurrent: 2
                  maxQueued: 10
                  syncTimeoutSeconds: 1
                """);
        server = new EmbeddedServer(fixture.home.path());
        api = new Api(server);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static ObjectNode companies(String country, boolean isAsync) {
        ObjectNode body = Api.runScenario(fixture.app7Key, "7", "Companies", isAsync);
        ((ObjectNode) body.path("operation").path("opParams").path("parameters")).put("country", country);
        return body;
    }

    private static String submit(ObjectNode body) throws Exception {
        Api.Answer answer = api.post("/api/v1/executeJob.jsp", body);
        assertEquals("success", answer.status(), answer.toString());
        String jobId = answer.result().path("jobId").asText();
        assertFalse(jobId.isEmpty(), answer.toString());
        return jobId;
    }

    private static Api.Answer stopJob(String path, String jobId) throws Exception {
        return api.get(path, Api.params("apiKey", fixture.app7Key, "appId", "7", "jobId", jobId));
    }

    @Test
    void asyncJobIsPolledUntilCompleted() throws Exception {
        String jobId = submit(companies("US", true));

        Api.Answer done = api.awaitFinished(fixture.app7Key, "7", jobId, WAIT);
        JsonNode result = done.result();
        assertEquals("success", done.status());
        assertEquals("completed", result.path("status").asText());
        assertEquals("completed", result.path("state").asText());
        assertEquals(jobId, result.path("jobId").asText());
        assertEquals("7", result.path("appId").asText());
        assertEquals("Companies", result.path("scenario").asText());
        Instant submitted = Instant.parse(result.path("submittedAt").asText());
        Instant started = Instant.parse(result.path("startedAt").asText());
        Instant finished = Instant.parse(result.path("finishedAt").asText());
        assertFalse(started.isBefore(submitted));
        assertFalse(finished.isBefore(started));
        assertTrue(result.path("progress").isMissingNode(), "no progress once finished");

        JsonNode records = result.path("results").get(0).path("result").path("records");
        assertEquals(2, records.size());
        assertEquals(1, records.get(0).path("id").asInt());
        assertTrue(records.get(0).path("id").isIntegralNumber(), "integer columns are JSON numbers");
        assertEquals("IBM", records.get(0).path("company_name").asText());
        assertEquals("Microsoft", records.get(1).path("company_name").asText());

        JsonNode trace = result.path("trace");
        assertEquals(2, trace.size());
        assertEquals("companies table", trace.get(0).path("title").asText());
        assertEquals(2, trace.get(0).path("statements").size());
        assertEquals(4, trace.get(0).path("statements").get(1).path("rowsChanged").asInt());
        assertEquals(2, trace.get(1).path("rows").asInt());
    }

    @Test
    void pollsOfAFinishedJobGetTheSameWholeAnswerWithAndWithoutSchema() throws Exception {
        Api.Answer sync = api.post("/api/v1/executeJob.jsp", companies("US", false));
        assertEquals("success", sync.status(), sync.toString());
        String jobId = sync.result().path("jobId").asText();
        HttpClient http = HttpClient.newHttpClient();
        for (boolean noSchema : new boolean[] {false, true}) {
            List<String> bodies = new ArrayList<>();
            for (int poll = 0; poll < 3; poll++) {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(server.url(
                        "/api/v1/getJobStatus.jsp?apiKey=" + fixture.app7Key + "&appId=7&jobId=" + jobId
                                + "&noResultSchema=" + noSchema))).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, answer.statusCode());
                assertEquals(String.valueOf(answer.body().getBytes(StandardCharsets.UTF_8).length),
                        answer.headers().firstValue("Content-Length").orElse("chunked"), "a whole answer");
                bodies.add(answer.body());
            }
            assertEquals(1, Set.copyOf(bodies).size(), "every poll the same answer: " + bodies);
            JsonNode set = Json.mapper().readTree(bodies.get(0)).path("result").path("results").get(0);
            assertEquals(2, set.path("result").path("records").size());
            assertEquals(noSchema, set.path("result").path("schema").isMissingNode(), bodies.get(0));
        }
    }

    @Test
    void syncJobAnswersResultsWithAndWithoutSchema() throws Exception {
        Api.Answer withSchema = api.post("/api/v1/executeJob.jsp", companies("DE", false));
        assertEquals("success", withSchema.status(), withSchema.toString());
        JsonNode set = withSchema.result().path("results").get(0);
        assertEquals("companies", set.path("name").asText());
        JsonNode schema = set.path("result").path("schema");
        assertEquals(2, schema.size());
        assertEquals("id", schema.get(0).path("name").asText());
        assertEquals("integer", schema.get(0).path("typeStandard").path("name").asText());
        assertEquals("company_name", schema.get(1).path("name").asText());
        assertEquals("SAP", set.path("result").path("records").get(0).path("company_name").asText());
        assertNotNull(withSchema.result().get("jobId"));

        ObjectNode body = companies("DE", false);
        body.put("noResultSchema", true);
        Api.Answer noSchema = api.post("/api/v1/executeJob.jsp", body);
        JsonNode result = noSchema.result().path("results").get(0).path("result");
        assertFalse(result.has("schema"), noSchema.toString());
        assertEquals(2, result.path("records").size());
        assertEquals("Siemens", result.path("records").get(1).path("company_name").asText());
    }

    @Test
    void syncTimeoutAnswersJobIdAndTheJobGoesOn() throws Exception {
        Api.Answer timedOut = api.post("/api/v1/executeJob.jsp", Api.runScenario(fixture.app7Key, "7", "Slow", false));
        assertEquals("error", timedOut.status());
        assertEquals("SYNC_TIMEOUT", timedOut.code());
        assertEquals(200, timedOut.httpStatus());
        String jobId = timedOut.result().path("jobId").asText();

        Api.Answer running = api.awaitState(fixture.app7Key, "7", jobId, "running", WAIT);
        Api.Answer atStep2 = api.status(fixture.app7Key, "7", jobId);
        assertEquals("running", atStep2.result().path("status").asText());
        JsonNode progress = atStep2.result().path("progress");
        assertEquals(2, progress.path("steps").asInt(), running.toString());

        assertEquals("stop started", stopJob("/api/v1/stopJob.jsp", jobId).result().path("status").asText());
        Api.Answer stopped = api.awaitFinished(fixture.app7Key, "7", jobId, Duration.ofSeconds(5));
        assertEquals("stopped", stopped.result().path("status").asText());
        assertEquals("Stopped by request", stopped.result().path("message").asText());
        JsonNode results = stopped.result().path("results");
        assertEquals(1, results.size(), "the set finished before the stop is kept");
        assertEquals("first", results.get(0).path("name").asText());
    }

    @Test
    void retryWithTheSameJobIdGetsTheSameJobAndADifferentRequestIsRefused() throws Exception {
        ObjectNode first = companies("US", true);
        first.put("jobId", "order-42:retry_1.a");
        assertEquals("order-42:retry_1.a", submit(first));

        ObjectNode retry = companies("US", false);
        retry.put("jobId", "order-42:retry_1.a");
        retry.put("noResultSchema", true);
        Api.Answer retried = api.post("/api/v1/executeJob.jsp", retry);
        assertEquals("success", retried.status(), retried.toString());
        assertEquals("order-42:retry_1.a", retried.result().path("jobId").asText());
        assertEquals(2, retried.result().path("results").get(0).path("result").path("records").size());

        Api.Answer listed = api.get("/api/v1/getJobs.jsp", Api.params("apiKey", fixture.app7Key, "appId", "7",
                "scenario", "Companies"));
        long withThatId = 0;
        for (JsonNode job : listed.result().path("jobs")) {
            withThatId += job.path("jobId").asText().equals("order-42:retry_1.a") ? 1 : 0;
        }
        assertEquals(1, withThatId, "the retry started nothing new");

        ObjectNode different = companies("DE", true);
        different.put("jobId", "order-42:retry_1.a");
        Api.Answer refused = api.post("/api/v1/executeJob.jsp", different);
        assertEquals("DUPLICATE_JOB_ID", refused.code());
        assertEquals("Job id 'order-42:retry_1.a' is already used by a different request in app '7'.",
                refused.result().path("message").asText());
    }

    @Test
    void stoppingARunningJobAnswersTheThreeStatuses() throws Exception {
        String jobId = submit(Api.runScenario(fixture.app7Key, "7", "Sticky", true));
        api.awaitState(fixture.app7Key, "7", jobId, "running", WAIT);
        Api.Answer atSleep = pollUntilStep(jobId, 2);
        assertEquals("sleep", atSleep.result().path("progress").path("title").asText());

        assertEquals("stop started", stopJob("/api/v1/stopJob.jsp", jobId).result().path("status").asText());
        Api.Answer stopping = api.status(fixture.app7Key, "7", jobId);
        assertEquals("running", stopping.result().path("status").asText());
        assertEquals("stopping", stopping.result().path("state").asText());
        assertEquals("already being stopped", stopJob("/api/v1/stop.jsp", jobId).result().path("status").asText());

        Api.Answer stopped = api.awaitFinished(fixture.app7Key, "7", jobId, WAIT);
        assertEquals("stopped", stopped.result().path("status").asText());
        assertEquals("Stopped by request", stopped.result().path("message").asText());
        assertEquals("already completed", stopJob("/api/v1/stopJob.jsp", jobId).result().path("status").asText());
    }

    @Test
    void stoppingAQueuedJobStopsItAtOnce() throws Exception {
        List<String> blockers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            blockers.add(submit(Api.runScenario(fixture.app7Key, "7", "Slow", true)));
        }
        for (String blocker : blockers) {
            api.awaitState(fixture.app7Key, "7", blocker, "running", WAIT);
        }
        String queued = submit(companies("US", true));
        assertEquals("queued", api.status(fixture.app7Key, "7", queued).result().path("state").asText());

        assertEquals("stop started", stopJob("/api/v1/stopJob.jsp", queued).result().path("status").asText());
        Api.Answer stopped = api.status(fixture.app7Key, "7", queued);
        assertEquals("stopped", stopped.result().path("status").asText());
        assertEquals("Stopped by request", stopped.result().path("message").asText());
        assertFalse(stopped.result().has("startedAt"), "a job stopped in the queue never started");
        assertEquals("already completed", stopJob("/api/v1/stop.jsp", queued).result().path("status").asText());

        for (String blocker : blockers) {
            stopJob("/api/v1/stopJob.jsp", blocker);
            Instant before = Instant.now();
            assertEquals("stopped", api.awaitFinished(fixture.app7Key, "7", blocker, WAIT)
                    .result().path("status").asText());
            assertTrue(Duration.between(before, Instant.now()).toMillis() < 2000,
                    "a running H2 query is interrupted within 2 s");
        }
    }

    @Test
    void aFailingStepEndsTheJobWithTheSetsFinishedBefore() throws Exception {
        Api.Answer failed = api.post("/api/v1/executeJob.jsp",
                Api.runScenario(fixture.app7Key, "7", "FailsHalfway", false));
        assertEquals("error", failed.status());
        assertEquals("JOB_FAILED", failed.code());
        String message = failed.result().path("message").asText();
        assertTrue(message.startsWith("Step 2 (missing table) failed: "), message);
        assertTrue(message.toLowerCase().contains("no_such_table"), message);
        JsonNode results = failed.result().path("results");
        assertEquals(1, results.size());
        assertEquals("kept", results.get(0).path("result").path("records").get(0).path("word").asText());

        String jobId = failed.result().path("jobId").asText();
        JsonNode status = api.status(fixture.app7Key, "7", jobId).result();
        assertEquals("completedWithError", status.path("status").asText());
        assertEquals(message, status.path("message").asText());
        assertEquals(1, status.path("results").size());
        assertEquals("failed", status.path("trace").get(1).path("outcome").asText());
    }

    @Test
    void jobsAreListedNewestFirstInPages() throws Exception {
        String older = submit(companies("US", true));
        String newer = submit(companies("DE", true));
        api.awaitFinished(fixture.app7Key, "7", older, WAIT);
        api.awaitFinished(fixture.app7Key, "7", newer, WAIT);

        Api.Answer page1 = api.get("/api/v1/getJobs.jsp", Api.params("apiKey", fixture.app7Key, "appId", "7",
                "scenario", "Companies", "limit", "1"));
        assertEquals(1, page1.result().path("jobs").size());
        JsonNode first = page1.result().path("jobs").get(0);
        assertFalse(first.has("results"), "listings carry no results");
        String next = page1.result().path("next").asText();
        assertFalse(next.isEmpty());

        List<String> ids = new ArrayList<>();
        ids.add(first.path("jobId").asText());
        String cursor = next;
        while (cursor != null) {
            Api.Answer page = api.get("/api/v1/getJobs.jsp", Api.params("apiKey", fixture.app7Key, "appId", "7",
                    "scenario", "Companies", "limit", "2", "after", cursor));
            page.result().path("jobs").forEach(job -> ids.add(job.path("jobId").asText()));
            cursor = page.result().has("next") ? page.result().path("next").asText() : null;
        }
        assertTrue(ids.indexOf(newer) < ids.indexOf(older), ids.toString());
        assertEquals(ids.size(), ids.stream().distinct().count(), "pages do not overlap");

        Api.Answer failedOnly = api.get("/api/v1/getJobs.jsp", Api.params("apiKey", fixture.app7Key, "appId", "7",
                "status", "completedWithError"));
        failedOnly.result().path("jobs").forEach(job ->
                assertEquals("completedWithError", job.path("status").asText()));
        Api.Answer badStatus = api.get("/api/v1/getJobs.jsp", Api.params("apiKey", fixture.app7Key, "appId", "7",
                "status", "done"));
        assertEquals("INVALID_PARAMETER", badStatus.code());
    }

    @Test
    void appIdStarListsTheJobsOfEveryAppTheClientMayUse() throws Exception {
        String in7 = submit(companies("US", true));
        Api.Answer hello = api.post("/api/v1/executeJob.jsp", Api.runScenario(fixture.app8Key, "8", "Hello", true));
        String in8 = hello.result().path("jobId").asText();
        api.awaitFinished(fixture.app7Key, "7", in7, WAIT);
        api.awaitFinished(fixture.app8Key, "8", in8, WAIT);

        List<String> everyApp = listedIds(fixture.allAppsKey);
        assertTrue(everyApp.contains(in7) && everyApp.contains(in8), everyApp.toString());
        List<String> onlySeven = listedIds(fixture.app7Key);
        assertTrue(onlySeven.contains(in7), onlySeven.toString());
        assertFalse(onlySeven.contains(in8), "a client limited to app 7 never sees app 8's jobs: " + onlySeven);

        Api.Answer status = api.status(fixture.app7Key, "7", in7);
        assertEquals(1, status.result().path("attempt").asInt(), status.toString());
        assertFalse(status.result().has("node"), "a finished job names no node: " + status);
    }

    /** Every job id that getJobs.jsp with appId=* lists for a key, following the cursor. */
    private static List<String> listedIds(String apiKey) throws Exception {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            Api.Answer page = cursor == null
                    ? api.get("/api/v1/getJobs.jsp", Api.params("apiKey", apiKey, "appId", "*", "limit", "3"))
                    : api.get("/api/v1/getJobs.jsp", Api.params("apiKey", apiKey, "appId", "*", "limit", "3",
                            "after", cursor));
            assertEquals("success", page.status(), page.toString());
            page.result().path("jobs").forEach(job -> ids.add(job.path("jobId").asText()));
            cursor = page.result().has("next") ? page.result().path("next").asText() : null;
        } while (cursor != null);
        assertEquals(ids.size(), ids.stream().distinct().count(), "pages do not overlap: " + ids);
        return ids;
    }

    @Test
    void scenariosAreListedWithParametersAndInvalidOnesWithTheirReason() throws Exception {
        Api.Answer answer = api.get("/api/v1/getScenarios.jsp", Api.params("apiKey", fixture.app7Key, "appId", "7"));
        JsonNode companies = null;
        JsonNode broken = null;
        for (JsonNode scenario : answer.result().path("scenarios")) {
            if (scenario.path("name").asText().equals("Companies")) {
                companies = scenario;
            }
            if (scenario.path("name").asText().equals("Broken")) {
                broken = scenario;
            }
        }
        assertNotNull(companies, answer.toString());
        assertEquals("Companies of one country", companies.path("description").asText());
        JsonNode parameters = companies.path("parameters");
        assertEquals("country", parameters.get(0).path("name").asText());
        assertEquals("text", parameters.get(0).path("type").asText());
        assertTrue(parameters.get(0).path("required").asBoolean());
        assertEquals("minId", parameters.get(1).path("name").asText());
        assertEquals("integer", parameters.get(1).path("type").asText());
        assertEquals("0", parameters.get(1).path("default").asText());
        assertFalse(companies.has("invalid"));
        assertNotNull(broken);
        assertEquals("step 1: query is required", broken.path("invalid").asText());
    }

    @Test
    void jobsOfOneAppAreNotFoundInAnother() throws Exception {
        String jobId = submit(companies("US", true));
        Api.Answer elsewhere = api.status(fixture.allAppsKey, "8", jobId);
        assertEquals("JOB_NOT_FOUND", elsewhere.code());
        assertEquals("Job '" + jobId + "' not found in app '8'.", elsewhere.result().path("message").asText());
        assertNotEquals("JOB_NOT_FOUND", api.status(fixture.allAppsKey, "7", jobId).code());
    }

    private static Api.Answer pollUntilStep(String jobId, int step) throws Exception {
        return org.openinfolink.testsupport.Poll.until(WAIT, () -> api.status(fixture.app7Key, "7", jobId),
                answer -> answer.result().path("progress").path("step").asInt() == step, "step " + step);
    }
}
