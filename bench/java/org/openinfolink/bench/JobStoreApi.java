package org.openinfolink.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;
import org.openinfolink.json.Json;
import org.openinfolink.tomcat.StockTomcat;

/**
 * The job API calls of the job-store parts, whose answers are small: each answer is read whole
 * and parsed into a tree, and an answer that is not HTTP 200 or not {@code "status": "success"}
 * throws with the answer's text. One {@link RawHttp} (HTTP/1.1, a kept-alive connection per
 * thread) serves every client thread; thread safe.
 */
final class JobStoreApi {

    private static final String API_KEY_HEADER = "X-API-Key";

    private final StockTomcat server;
    private final String apiKey;
    private final String appId;
    private final RawHttp http = new RawHttp();

    JobStoreApi(StockTomcat server, String apiKey, String appId) {
        this.server = server;
        this.apiKey = apiKey;
        this.appId = appId;
    }

    /**
     * {@code POST executeJob.jsp} of a scenario without parameters under the given job id.
     *
     * @return the envelope's {@code result}; for an async job it must name the job
     */
    JsonNode execute(String scenario, String jobId, boolean isAsync) throws IOException, InterruptedException {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("appId", appId);
        ObjectNode operation = body.putObject("operation");
        operation.put("opName", "RunScenario");
        operation.putObject("opParams").put("scenario", scenario).putObject("parameters");
        body.put("isAsync", isAsync);
        body.put("jobId", jobId);
        JsonNode result = check("POST /api/v1/executeJob.jsp", http.post(server.uri("/api/v1/executeJob.jsp"),
                Map.of(API_KEY_HEADER, apiKey, "Content-Type", "application/json"),
                body.toString().getBytes(StandardCharsets.UTF_8)));
        if (!jobId.equals(result.path("jobId").asText(null))) {
            throw new IllegalStateException("executeJob of " + jobId + " answered another job: " + result);
        }
        return result;
    }

    /** {@code GET getJobStatus.jsp}; returns the envelope's {@code result}. */
    JsonNode status(String jobId) throws IOException, InterruptedException {
        return get("/api/v1/getJobStatus.jsp", Map.of("appId", appId, "jobId", jobId));
    }

    /** {@code GET getJobs.jsp} of the app with further query parameters; returns the envelope's {@code result}. */
    JsonNode jobs(Map<String, String> parameters) throws IOException, InterruptedException {
        StringJoiner query = new StringJoiner("&");
        query.add("appId=" + encode(appId));
        parameters.forEach((name, value) -> query.add(encode(name) + "=" + encode(value)));
        return get("/api/v1/getJobs.jsp?" + query, Map.of());
    }

    private JsonNode get(String path, Map<String, String> parameters) throws IOException, InterruptedException {
        StringJoiner query = new StringJoiner("&");
        parameters.forEach((name, value) -> query.add(encode(name) + "=" + encode(value)));
        String uri = parameters.isEmpty() ? path : path + "?" + query;
        return check("GET " + path, http.get(server.uri(uri), Map.of(API_KEY_HEADER, apiKey)));
    }

    private static JsonNode check(String what, RawHttp.Response response) throws IOException {
        String text = response.text();
        if (response.status() != 200) {
            throw new IllegalStateException(what + " answered HTTP " + response.status() + ": " + text);
        }
        JsonNode envelope = Json.mapper().readTree(text);
        if (!"success".equals(envelope.path("status").asText(null))) {
            throw new IllegalStateException(what + " answered " + envelope);
        }
        return envelope.path("result");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
