package org.openinfolink.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.openinfolink.json.Json;
import org.openinfolink.tomcat.StockTomcat;

/**
 * Runs the benchmark's scenarios through the job API of a running server, the way a client of the
 * original does, and times them: {@code executeJob.jsp} with {@code isAsync=false}, or an
 * asynchronous job polled with {@code getJobStatus.jsp} until it is finished. Every answer is read
 * as a stream by {@link EnvelopeReader}. The API key travels in the {@code X-API-Key} header.
 * Owned by one thread.
 */
final class JobApiClient {

    /**
     * One timed run.
     *
     * @param answer         the answer that carried the records
     * @param totalNanos     from the first request to the last byte of the records
     * @param firstByteNanos from the first request until the answer carrying the records began
     *                       (its status line and headers)
     * @param job            the job's own run time on the server, {@code finishedAt - startedAt}:
     *                       query, JSON and writing the result to the job store
     * @param polls          getJobStatus calls made (0 for a sync run)
     */
    record Run(EnvelopeReader.Answer answer, long totalNanos, long firstByteNanos, Duration job, int polls) {
    }

    private static final String API_KEY_HEADER = "X-API-Key";

    private final StockTomcat server;
    private final String apiKey;
    private final String appId;
    private final RawHttp http = new RawHttp();
    private int jobNumber;

    JobApiClient(StockTomcat server, String apiKey, String appId) {
        this.server = server;
        this.apiKey = apiKey;
        this.appId = appId;
    }

    /**
     * {@code POST executeJob.jsp} with {@code isAsync=false}; reads the results from that answer.
     * The job's run time comes from {@code getJobs.jsp} afterwards (outside the timing).
     */
    Run runSync(BenchDatabase database) throws IOException, InterruptedException {
        String scenario = database.scenarioName();
        String jobId = nextJobId(scenario, "sync");
        long start = System.nanoTime();
        InputStream body = post("/api/v1/executeJob.jsp", executeBody(scenario, jobId, false));
        long firstByte = System.nanoTime() - start;
        EnvelopeReader.Answer answer = EnvelopeReader.read(body, database.rows());
        long total = System.nanoTime() - start;
        requireCompleted(answer, "sync " + scenario, answer.field("jobId"), database.rows());
        return new Run(answer, total, firstByte, jobRunTime(scenario, jobId), 0);
    }

    /**
     * Submits the scenario as an asynchronous job and polls {@code getJobStatus.jsp} every
     * {@code pollInterval} until the job is finished. The answer that reports it finished carries
     * the results after the status fields, so that one call is also the fetch of the results: the
     * timing ends with its last byte.
     */
    Run runAsync(BenchDatabase database, Duration pollInterval) throws IOException, InterruptedException {
        String scenario = database.scenarioName();
        String jobId = nextJobId(scenario, "async");
        long start = System.nanoTime();
        EnvelopeReader.Answer submitted = EnvelopeReader.read(
                post("/api/v1/executeJob.jsp", executeBody(scenario, jobId, true)), database.rows());
        if (!"success".equals(submitted.status()) || !jobId.equals(submitted.field("jobId"))) {
            throw new IllegalStateException("async " + scenario + " was not accepted: " + submitted);
        }
        String status = "/api/v1/getJobStatus.jsp?appId=" + encode(appId) + "&jobId=" + encode(jobId);
        int polls = 0;
        while (true) {
            long pollStart = System.nanoTime() - start;
            InputStream response = get(status);
            polls++;
            EnvelopeReader.Answer answer = EnvelopeReader.read(response, database.rows());
            if (!"success".equals(answer.status())) {
                throw new IllegalStateException("getJobStatus of " + jobId + " failed: " + answer);
            }
            if (!"running".equals(answer.field("status"))) {
                long total = System.nanoTime() - start;
                requireCompleted(answer, "async " + scenario, jobId, database.rows());
                return new Run(answer, total, pollStart, between(answer.field("startedAt"),
                        answer.field("finishedAt")), polls);
            }
            server.pauseWhileRunning(pollInterval);
        }
    }

    private String nextJobId(String scenario, String mode) {
        jobNumber++;
        return "bench-" + scenario + "-" + mode + "-" + jobNumber + "-" + ProcessHandle.current().pid();
    }

    private String executeBody(String scenario, String jobId, boolean isAsync) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("appId", appId);
        ObjectNode operation = body.putObject("operation");
        operation.put("opName", "RunScenario");
        operation.putObject("opParams").put("scenario", scenario).putObject("parameters");
        body.put("isAsync", isAsync);
        body.put("jobId", jobId);
        return body.toString();
    }

    /** The job's run time, from {@code getJobs.jsp} (the newest job of the scenario, which is this one). */
    private Duration jobRunTime(String scenario, String jobId) throws IOException, InterruptedException {
        JsonNode answer;
        try (InputStream body = get("/api/v1/getJobs.jsp?appId=" + encode(appId) + "&scenario=" + encode(scenario)
                + "&limit=1")) {
            answer = Json.mapper().readTree(body);
        }
        JsonNode job = answer.path("result").path("jobs").path(0);
        if (!jobId.equals(job.path("jobId").asText())) {
            throw new IllegalStateException("getJobs did not list job " + jobId + " first: " + answer);
        }
        return between(job.path("startedAt").asText(null), job.path("finishedAt").asText(null));
    }

    /** The body of a {@code POST}, once its status line and headers are in. */
    private InputStream post(String path, String body) throws IOException {
        return check("POST " + path, http.post(server.uri(path),
                Map.of(API_KEY_HEADER, apiKey, "Content-Type", "application/json"),
                body.getBytes(StandardCharsets.UTF_8)));
    }

    private InputStream get(String pathAndQuery) throws IOException {
        return check("GET " + pathAndQuery, http.get(server.uri(pathAndQuery), Map.of(API_KEY_HEADER, apiKey)));
    }

    private static InputStream check(String what, RawHttp.Response response) throws IOException {
        if (response.status() != 200) {
            response.body().close();
            throw new IllegalStateException(what + " answered HTTP " + response.status());
        }
        return response.body();
    }

    private static void requireCompleted(EnvelopeReader.Answer answer, String what, String jobId, long rows) {
        boolean completed = "success".equals(answer.status())
                && (answer.field("status") == null || "completed".equals(answer.field("status")));
        if (!completed) {
            throw new IllegalStateException(what + " (job " + jobId + ") did not complete: " + answer);
        }
        if (answer.records() != rows) {
            throw new IllegalStateException(what + " (job " + jobId + ") returned " + answer.records()
                    + " records, not " + rows);
        }
    }

    private static Duration between(String startedAt, String finishedAt) {
        if (startedAt == null || finishedAt == null) {
            throw new IllegalStateException("the job has no startedAt/finishedAt");
        }
        return Duration.between(Instant.parse(startedAt), Instant.parse(finishedAt));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
