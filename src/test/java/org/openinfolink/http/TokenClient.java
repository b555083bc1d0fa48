package org.openinfolink.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.StringJoiner;
import org.openinfolink.json.Json;

/** Calls the token endpoint and the API with Bearer tokens, for tests; answers parsed JSON with headers. */
final class TokenClient {

    static final String TOKEN_PATH = "/api/v1/oauth2/token";

    /** One answer of the token endpoint. */
    record Answer(int status, HttpResponse<String> response, JsonNode body) {
        String error() {
            return body.path("error").asText(null);
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        String accessToken() {
            return body.path("access_token").asText(null);
        }

        String refreshToken() {
            return body.path("refresh_token").asText(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final EmbeddedServer server;

    TokenClient(EmbeddedServer server) {
        this.server = server;
    }

    /** {@code a=1&b=2}, each name and value form-encoded. */
    static String form(String... namesAndValues) {
        StringJoiner joined = new StringJoiner("&");
        for (int i = 0; i < namesAndValues.length; i += 2) {
            joined.add(URLEncoder.encode(namesAndValues[i], StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
        }
        return joined.toString();
    }

    /** The value of an {@code Authorization: Basic} header for client credentials (RFC 6749 2.3.1). */
    static String basic(String clientId, String clientSecret) {
        String pair = URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    /** POSTs a form body to the token endpoint with the given headers (name, value, ...). */
    Answer token(String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url(TOKEN_PATH)))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.setHeader(headers[i], headers[i + 1]);
        }
        return send(request.build());
    }

    /** A new pair by the client_credentials grant, asserting it is issued. */
    Answer clientCredentials(String clientId, String clientSecret) throws IOException, InterruptedException {
        Answer answer = token(form("grant_type", "client_credentials", "client_id", clientId,
                "client_secret", clientSecret));
        if (answer.status() != 200) {
            throw new AssertionError("no token: " + answer);
        }
        return answer;
    }

    Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode body;
        try {
            body = Json.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("Not JSON (HTTP " + response.statusCode() + "): " + response.body(), e);
        }
        return new Answer(response.statusCode(), response, body);
    }

    /** A GET of an API endpoint with {@code Authorization: Bearer <token>} and no API key. */
    Api.Answer get(Api api, String pathAndQuery, String accessToken) throws IOException, InterruptedException {
        return api.send(HttpRequest.newBuilder(URI.create(server.url(pathAndQuery)))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + accessToken).GET().build());
    }

    /** A POST of a JSON body to an API endpoint with {@code Authorization: Bearer <token>}. */
    Api.Answer post(Api api, String path, JsonNode body, String accessToken) throws IOException, InterruptedException {
        return api.send(HttpRequest.newBuilder(URI.create(server.url(path)))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + accessToken)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }
}
