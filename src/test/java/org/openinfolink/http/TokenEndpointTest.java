package org.openinfolink.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openinfolink.http.TokenClient.basic;
import static org.openinfolink.http.TokenClient.form;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code POST /api/v1/oauth2/token} (CONTRACT 12.1): every grant, with credentials in the body and
 * in an HTTP Basic header, every RFC 6749 5.2 refusal, refresh-token rotation, and the tokens used
 * in place of an API key on every endpoint. The password grant checks users of the container's
 * Realm.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenEndpointTest {

    private ApiFixture fixture;
    private String batchSecret;
    private String otherSecret;
    private EmbeddedServer server;
    private Api api;
    private TokenClient tokens;

    @BeforeAll
    void start() throws Exception {
        fixture = new ApiFixture("tokens", null);
        batchSecret = fixture.home.credentialsClient("batch", List.of("7"));
        otherSecret = fixture.home.credentialsClient("other", List.of("8"));
        server = new EmbeddedServer(fixture.home.path());
        server.addUser("alice", "w0nderland", "etl");
        api = new Api(server);
        tokens = new TokenClient(server);
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    @Test
    void clientCredentialsInTheBodyGetAPairOfRandomTokens() throws Exception {
        TokenClient.Answer answer = tokens.token(form("grant_type", "client_credentials", "client_id", "batch",
                "client_secret", batchSecret));
        assertEquals(200, answer.status(), answer.toString());
        assertEquals("application/json;charset=UTF-8", answer.header("Content-Type"));
        assertEquals("no-store", answer.header("Cache-Control"));
        assertEquals("no-cache", answer.header("Pragma"));
        assertEquals(Set.of("access_token", "refresh_token", "token_type", "expires_in"),
                Set.copyOf(iterable(answer.body().fieldNames())));
        assertEquals("Bearer", answer.body().path("token_type").asText());
        assertEquals(1800, answer.body().path("expires_in").asInt());
        assertTrue(answer.accessToken().matches("ila_[A-Za-z0-9_-]{43}"), answer.accessToken());
        assertTrue(answer.refreshToken().matches("ilr_[A-Za-z0-9_-]{43}"), answer.refreshToken());

        TokenClient.Answer again = tokens.clientCredentials("batch", batchSecret);
        assertNotEquals(answer.accessToken(), again.accessToken());
        assertNotEquals(answer.refreshToken(), again.refreshToken());
    }

    @Test
    void clientCredentialsInABasicHeaderWorkToo() throws Exception {
        TokenClient.Answer answer = tokens.token(form("grant_type", "client_credentials"),
                "Authorization", basic("batch", batchSecret));
        assertEquals(200, answer.status(), answer.toString());
        assertEquals("7", tokens.get(api, "/api/v1/getScenarios.jsp?appId=7", answer.accessToken()).result()
                .path("appId").asText());
    }

    @Test
    void thePasswordGrantChecksTheUserAgainstTheRealm() throws Exception {
        TokenClient.Answer answer = tokens.token(form("grant_type", "password", "client_id", "batch",
                "client_secret", batchSecret, "username", "alice", "password", "w0nderland"));
        assertEquals(200, answer.status(), answer.toString());
        assertEquals("success", tokens.get(api, "/api/v1/getJobs.jsp?appId=7", answer.accessToken()).status());

        TokenClient.Answer wrong = tokens.token(form("grant_type", "password", "client_id", "batch",
                "client_secret", batchSecret, "username", "alice", "password", "w0nderland!"));
        assertRefusal(wrong, 400, "invalid_grant");
        assertRefusal(tokens.token(form("grant_type", "password", "client_id", "batch", "client_secret", batchSecret,
                "username", "nobody", "password", "w0nderland")), 400, "invalid_grant");
        assertRefusal(tokens.token(form("grant_type", "password", "client_id", "batch", "client_secret", batchSecret,
                "password", "w0nderland")), 400, "invalid_request");
        assertRefusal(tokens.token(form("grant_type", "password", "client_id", "batch", "client_secret", batchSecret,
                "username", "alice")), 400, "invalid_request");
        assertRefusal(tokens.token(form("grant_type", "password", "client_id", "batch", "client_secret", otherSecret,
                "username", "alice", "password", "w0nderland")), 401, "invalid_client");
    }

    @Test
    void aRefreshTokenIsUsedUpAndANewPairIssued() throws Exception {
        TokenClient.Answer first = tokens.clientCredentials("batch", batchSecret);

        TokenClient.Answer second = tokens.token(form("grant_type", "refresh_token", "client_id", "batch",
                "client_secret", batchSecret, "refresh_token", first.refreshToken()));
        assertEquals(200, second.status(), second.toString());
        assertNotEquals(first.accessToken(), second.accessToken());
        assertNotEquals(first.refreshToken(), second.refreshToken());
        assertEquals("success", tokens.get(api, "/api/v1/getJobs.jsp?appId=7", second.accessToken()).status());

        TokenClient.Answer reused = tokens.token(form("grant_type", "refresh_token", "client_id", "batch",
                "client_secret", batchSecret, "refresh_token", first.refreshToken()));
        assertRefusal(reused, 400, "invalid_grant");

        TokenClient.Answer third = tokens.token(form("grant_type", "refresh_token", "refresh_token",
                second.refreshToken()), "Authorization", basic("batch", batchSecret));
        assertEquals(200, third.status(), third.toString());
    }

    @Test
    void aRefreshTokenIsOnlyItsOwnClients() throws Exception {
        TokenClient.Answer batch = tokens.clientCredentials("batch", batchSecret);
        assertRefusal(tokens.token(form("grant_type", "refresh_token", "client_id", "other",
                "client_secret", otherSecret, "refresh_token", batch.refreshToken())), 400, "invalid_grant");
        assertRefusal(tokens.token(form("grant_type", "refresh_token", "client_id", "batch",
                "client_secret", batchSecret, "refresh_token", batch.accessToken())), 400, "invalid_grant");
        assertRefusal(tokens.token(form("grant_type", "refresh_token", "client_id", "batch",
                "client_secret", batchSecret)), 400, "invalid_request");
        assertEquals(200, tokens.token(form("grant_type", "refresh_token", "client_id", "batch",
                "client_secret", batchSecret, "refresh_token", batch.refreshToken())).status(),
                "the refused attempts left it unused");
    }

    @Test
    void refusalsFollowRfc6749() throws Exception {
        assertRefusal(tokens.token(form("client_id", "batch", "client_secret", batchSecret)), 400, "invalid_request");
        assertRefusal(tokens.token(form("grant_type", "authorization_code", "client_id", "batch",
                "client_secret", batchSecret)), 400, "unsupported_grant_type");
        assertRefusal(tokens.token(form("grant_type", "client_credentials")), 401, "invalid_client");
        assertRefusal(tokens.token(form("grant_type", "client_credentials", "client_id", "batch")), 401,
                "invalid_client");

        TokenClient.Answer wrongSecret = tokens.token(form("grant_type", "client_credentials", "client_id", "batch",
                "client_secret", batchSecret + "x"));
        assertRefusal(wrongSecret, 401, "invalid_client");
        assertNull(wrongSecret.header("WWW-Authenticate"), "no challenge when Basic was not used");
        assertRefusal(tokens.token(form("grant_type", "client_credentials", "client_id", "nobody",
                "client_secret", batchSecret)), 401, "invalid_client");
        assertRefusal(tokens.token(form("grant_type", "client_credentials", "client_id", fixture.app7Key,
                "client_secret", fixture.app7Key)), 401, "invalid_client");

        TokenClient.Answer wrongBasic = tokens.token(form("grant_type", "client_credentials"),
                "Authorization", basic("batch", otherSecret));
        assertRefusal(wrongBasic, 401, "invalid_client");
        assertTrue(wrongBasic.header("WWW-Authenticate").startsWith("Basic "), wrongBasic.header("WWW-Authenticate"));
        TokenClient.Answer garbledBasic = tokens.token(form("grant_type", "client_credentials"),
                "Authorization", "Basic !!not-base64!!");
        assertRefusal(garbledBasic, 401, "invalid_client");
        assertTrue(garbledBasic.header("WWW-Authenticate").startsWith("Basic "));

        assertRefusal(tokens.token(form("grant_type", "client_credentials", "client_secret", batchSecret),
                "Authorization", basic("batch", batchSecret)), 400, "invalid_request");
        assertRefusal(tokens.token(form("grant_type", "client_credentials", "grant_type", "client_credentials",
                "client_id", "batch", "client_secret", batchSecret)), 400, "invalid_request");
        assertRefusal(tokens.token("grant_type=client_credentials&client_id=batch&client_secret=%zz"), 400,
                "invalid_request");
        assertRefusal(tokens.token("grant_type=client_credentials&client_id=batch%FF&client_secret=" + batchSecret),
                400, "invalid_request");
        assertRefusal(tokens.token("grant_type=client_credentials&client_id=batch&client_secret=" + batchSecret
                + "&client%5Fid=batch"), 400, "invalid_request");
        assertRefusal(tokens.token(form("grant_type", "client_credentials"), "Authorization",
                "Basic " + Base64.getEncoder().encodeToString("batch%zz:x".getBytes(StandardCharsets.UTF_8))),
                401, "invalid_client");
        assertRefusal(tokens.send(HttpRequest.newBuilder(URI.create(server.url(TokenClient.TOKEN_PATH)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"grant_type\": \"client_credentials\"}")).build()),
                400, "invalid_request");
        TokenClient.Answer get = tokens.send(HttpRequest.newBuilder(URI.create(server.url(TokenClient.TOKEN_PATH
                + "?grant_type=client_credentials&client_id=batch&client_secret=" + batchSecret))).GET().build());
        assertRefusal(get, 405, "invalid_request");
        assertEquals("POST", get.header("Allow"));
    }

    @Test
    void aTokenWorksOnEveryEndpointWithItsClientsGrants() throws Exception {
        String token = tokens.clientCredentials("batch", batchSecret).accessToken();

        ObjectNode run = Api.runScenario(null, "7", "Companies", false);
        run.remove("apiKey");
        run.with("operation").with("opParams").with("parameters").put("country", "US");
        Api.Answer executed = tokens.post(api, "/api/v1/executeJob.jsp", run, token);
        assertEquals("success", executed.status(), executed.toString());
        assertEquals(2, executed.result().path("results").get(0).path("result").path("records").size());
        String jobId = executed.result().path("jobId").asText();

        Api.Answer status = tokens.get(api, "/api/v1/getJobStatus.jsp?appId=7&jobId=" + jobId, token);
        assertEquals("completed", status.result().path("status").asText(), status.toString());
        Api.Answer jobs = tokens.get(api, "/api/v1/getJobs.jsp?appId=7", token);
        assertTrue(jobs.result().path("jobs").findValuesAsText("jobId").contains(jobId), jobs.toString());
        Api.Answer scenarios = tokens.get(api, "/api/v1/getScenarios.jsp?appId=7", token);
        assertTrue(scenarios.result().path("scenarios").findValuesAsText("name").contains("Companies"));

        ObjectNode slow = Api.runScenario(null, "7", "Slow", true);
        slow.remove("apiKey");
        String slowJob = tokens.post(api, "/api/v1/executeJob.jsp", slow, token).result().path("jobId").asText();
        Api.Answer stopped = tokens.get(api, "/api/v1/stopJob.jsp?appId=7&jobId=" + slowJob, token);
        assertEquals("stop started", stopped.result().path("status").asText(), stopped.toString());
        Api.Answer stoppedAgain = tokens.get(api, "/api/v1/stop.jsp?appId=7&jobId=" + slowJob, token);
        assertTrue(Set.of("already being stopped", "already completed")
                .contains(stoppedAgain.result().path("status").asText()), stoppedAgain.toString());
        api.awaitFinished(fixture.allAppsKey, "7", slowJob, Duration.ofSeconds(30));
        assertEquals("already completed", tokens.get(api, "/api/v1/stop.jsp?appId=7&jobId=" + slowJob, token)
                .result().path("status").asText());

        assertEquals("ACCESS_DENIED", tokens.get(api, "/api/v1/getJobs.jsp?appId=8", token).code());
        ObjectNode transform = Api.object();
        transform.put("appId", "7");
        transform.putObject("operation").put("opName", "Transform").putObject("opParams").put("query", "SELECT 1");
        assertEquals("OPERATION_NOT_ALLOWED", tokens.post(api, "/api/v1/executeJob.jsp", transform, token).code());
        Api.Answer postStatus = tokens.post(api, "/api/v1/getJobStatus.jsp",
                Api.object().put("appId", "7").put("jobId", jobId), token);
        assertEquals("completed", postStatus.result().path("status").asText(), postStatus.toString());
    }

    @Test
    void anUnknownTokenOrARefreshTokenAnswersInvalidToken() throws Exception {
        Api.Answer unknown = tokens.get(api, "/api/v1/getJobs.jsp?appId=7", "ila_" + "x".repeat(43));
        assertEquals(200, unknown.httpStatus(), "httpErrorStatus is off");
        assertEquals("error", unknown.status());
        assertEquals("INVALID_TOKEN", unknown.code());
        assertEquals("Invalid or expired access token.", unknown.result().path("message").asText());

        TokenClient.Answer pair = tokens.clientCredentials("batch", batchSecret);
        assertEquals("INVALID_TOKEN", tokens.get(api, "/api/v1/getJobs.jsp?appId=7", pair.refreshToken()).code());
        Api.Answer empty = api.send(HttpRequest.newBuilder(URI.create(server.url("/api/v1/getJobs.jsp?appId=7")))
                .header("Authorization", "Bearer ").GET().build());
        assertEquals("INVALID_TOKEN", empty.code(), empty.toString());
        Api.Answer tokenBeatsKey = api.send(HttpRequest.newBuilder(URI.create(server.url(
                "/api/v1/getJobs.jsp?appId=7&apiKey=" + fixture.app7Key))).header("Authorization", "Bearer nope")
                .GET().build());
        assertEquals("INVALID_TOKEN", tokenBeatsKey.code(), "a Bearer token, when sent, is what counts");
        Api.Answer basicIsNoToken = api.send(HttpRequest.newBuilder(URI.create(server.url(
                "/api/v1/getJobs.jsp?appId=7&apiKey=" + fixture.app7Key))).header("Authorization",
                basic("batch", batchSecret)).GET().build());
        assertEquals("success", basicIsNoToken.status(), "another scheme leaves the API key to count");
        Api.Answer none = api.get("/api/v1/getJobs.jsp", Api.params("appId", "7"));
        assertEquals("MISSING_PARAMETER", none.code());
    }

    private static void assertRefusal(TokenClient.Answer answer, int status, String error) {
        assertEquals(status, answer.status(), answer.toString());
        assertEquals(error, answer.error(), answer.toString());
        assertTrue(answer.body().path("error_description").isTextual(), answer.toString());
        assertEquals(Set.of("error", "error_description"), Set.copyOf(iterable(answer.body().fieldNames())));
        assertEquals("application/json;charset=UTF-8", answer.header("Content-Type"));
        assertEquals("no-store", answer.header("Cache-Control"));
        assertFalse(answer.body().toString().contains("ilc_"), "no secret echoed: " + answer);
    }

    private static <T> List<T> iterable(Iterator<T> iterator) {
        List<T> list = new ArrayList<>();
        iterator.forEachRemaining(list::add);
        return list;
    }
}
