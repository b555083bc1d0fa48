package org.openinfolink.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.UnaryOperator;
import org.openinfolink.json.Json;
import org.openinfolink.testsupport.Poll;

/** A small HTTP client for the job API, answering parsed JSON, for tests. */
public final class Api {

    /** One answer: HTTP status, content type and the parsed envelope. */
    public record Answer(int httpStatus, String contentType, JsonNode body) {
        public String status() {
            return body.path("status").asText();
        }

        public JsonNode result() {
            return body.path("result");
        }

        public String code() {
            return result().path("code").asText(null);
        }

        @Override
        public String toString() {
            return httpStatus + " " + body;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final UnaryOperator<String> urls;

    public Api(EmbeddedServer server) {
        this.urls = server::url;
    }

    /** A client of the server whose context root is {@code contextUrl}, e.g. a stock Tomcat's. */
    public Api(String contextUrl) {
        this.urls = path -> contextUrl + path;
    }

    public static ObjectNode object() {
        return Json.mapper().createObjectNode();
    }

    /** The body of an executeJob call running a scenario. */
    public static ObjectNode runScenario(String apiKey, String appId, String scenario, boolean isAsync) {
        ObjectNode body = object();
        body.put("apiKey", apiKey);
        body.put("appId", appId);
        ObjectNode operation = body.putObject("operation");
        operation.put("opName", "RunScenario");
        operation.putObject("opParams").put("scenario", scenario).putObject("parameters");
        body.put("isAsync", isAsync);
        return body;
    }

    public Answer post(String path, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(urls.apply(path)))
                .timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public Answer post(String path, JsonNode body) throws IOException, InterruptedException {
        return post(path, body.toString());
    }

    public Answer get(String path, Map<String, String> query) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(urls.apply(path) + queryString(query)))
                .timeout(Duration.ofSeconds(120)).GET().build());
    }

    public Answer method(String method, String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(urls.apply(path)))
                .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    public Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode body;
        try {
            body = Json.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("Not JSON (HTTP " + response.statusCode() + "): " + response.body(), e);
        }
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), body);
    }

    public Answer status(String apiKey, String appId, String jobId) throws IOException, InterruptedException {
        return get("/api/v1/getJobStatus.jsp", params("apiKey", apiKey, "appId", appId, "jobId", jobId));
    }

    /** Polls getJobStatus until the job's status is final, or fails after {@code timeout}. */
    public Answer awaitFinished(String apiKey, String appId, String jobId, Duration timeout) throws Exception {
        return Poll.until(timeout, () -> status(apiKey, appId, jobId),
                answer -> !answer.result().path("status").asText().equals("running"), "job " + jobId + " finished");
    }

    /** Polls until the job reaches {@code state}, or fails after {@code timeout}. */
    public Answer awaitState(String apiKey, String appId, String jobId, String state, Duration timeout)
            throws Exception {
        return Poll.until(timeout, () -> status(apiKey, appId, jobId),
                answer -> answer.result().path("state").asText().equals(state), "job " + jobId + " " + state);
    }

    public static Map<String, String> params(String... keysAndValues) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            params.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return params;
    }

    private static String queryString(Map<String, String> query) {
        if (query.isEmpty()) {
            return "";
        }
        StringJoiner joined = new StringJoiner("&", "?", "");
        query.forEach((key, value) -> joined.add(URLEncoder.encode(key, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return joined.toString();
    }
}
