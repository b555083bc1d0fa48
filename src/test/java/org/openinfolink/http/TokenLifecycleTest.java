package org.openinfolink.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openinfolink.http.TokenClient.basic;
import static org.openinfolink.http.TokenClient.form;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.openinfolink.testsupport.LogCapture;
import org.openinfolink.testsupport.Poll;

/**
 * What happens to tokens over time: they expire by {@code auth.tokenLifetimeSeconds} and
 * {@code auth.refreshTokenLifetimeSeconds}, survive a restart (they live in the job store), answer
 * 401 with {@code api.httpErrorStatus}, and never reach a log, the access log or an answer.
 */
class TokenLifecycleTest {

    @Test
    void accessAndRefreshTokensExpireAfterTheirLifetimes() throws Exception {
        ApiFixture fixture = new ApiFixture("tokens-expiry",
                "auth:\n  tokenLifetimeSeconds: 1\n  refreshTokenLifetimeSeconds: 2\n");
        String secret = fixture.home.credentialsClient("batch", List.of("7"));
        try (EmbeddedServer server = new EmbeddedServer(fixture.home.path())) {
            Api api = new Api(server);
            TokenClient tokens = new TokenClient(server);
            long issuedNanos = System.nanoTime();
            TokenClient.Answer pair = tokens.clientCredentials("batch", secret);
            assertEquals(1, pair.body().path("expires_in").asInt());
            Api.Answer first = tokens.get(api, "/api/v1/getJobs.jsp?appId=7", pair.accessToken());
            if (System.nanoTime() - issuedNanos < Duration.ofMillis(900).toNanos()) {
                // a machine this slow would see the token expire before the first call
                assertEquals("success", first.status(), "valid at first: " + first);
            }

            Api.Answer expired = Poll.until(Duration.ofSeconds(10),
                    () -> tokens.get(api, "/api/v1/getJobs.jsp?appId=7", pair.accessToken()),
                    answer -> "INVALID_TOKEN".equals(answer.code()), "the access token expired");
            assertEquals("Invalid or expired access token.", expired.result().path("message").asText());
            assertTrue(System.nanoTime() - issuedNanos >= Duration.ofMillis(900).toNanos(),
                    "not before its lifetime");

            Poll.until(Duration.ofSeconds(10), () -> System.nanoTime() - issuedNanos,
                    elapsed -> elapsed > Duration.ofMillis(2_500).toNanos(), "the refresh token's lifetime passed");
            TokenClient.Answer refresh = tokens.token(form("grant_type", "refresh_token", "refresh_token",
                    pair.refreshToken()), "Authorization", basic("batch", secret));
            assertEquals(400, refresh.status(), refresh.toString());
            assertEquals("invalid_grant", refresh.error());
        }
    }

    @Test
    void withHttpErrorStatusAnInvalidTokenIs401() throws Exception {
        ApiFixture fixture = new ApiFixture("tokens-status", "api:\n  httpErrorStatus: true\n");
        try (EmbeddedServer server = new EmbeddedServer(fixture.home.path())) {
            Api.Answer answer = new TokenClient(server).get(new Api(server), "/api/v1/getJobStatus.jsp?appId=7&jobId=x",
                    "ila_unknown");
            assertEquals(401, answer.httpStatus(), answer.toString());
            assertEquals("INVALID_TOKEN", answer.code());
            assertEquals("error", answer.status());
        }
    }

    @Test
    void tokensSurviveARestartOfTheServerOnTheSameStore() throws Exception {
        ApiFixture fixture = new ApiFixture("tokens-restart", null);
        String secret = fixture.home.credentialsClient("batch", List.of("7"));
        TokenClient.Answer pair;
        try (EmbeddedServer first = new EmbeddedServer(fixture.home.path())) {
            pair = new TokenClient(first).clientCredentials("batch", secret);
            assertEquals("success", new TokenClient(first).get(new Api(first), "/api/v1/getJobs.jsp?appId=7",
                    pair.accessToken()).status());
        }
        try (EmbeddedServer second = new EmbeddedServer(fixture.home.path())) {
            TokenClient tokens = new TokenClient(second);
            Api api = new Api(second);
            Api.Answer after = tokens.get(api, "/api/v1/getJobs.jsp?appId=7", pair.accessToken());
            assertEquals("success", after.status(), "the access token still works: " + after);
            TokenClient.Answer refreshed = tokens.token(form("grant_type", "refresh_token", "client_id", "batch",
                    "client_secret", secret, "refresh_token", pair.refreshToken()));
            assertEquals(200, refreshed.status(), "the refresh token still works: " + refreshed);
            assertEquals("success", tokens.get(api, "/api/v1/getJobs.jsp?appId=7", refreshed.accessToken()).status());
        }
    }

    @Test
    void tokensSecretsAndPasswordsNeverReachTheLogsOrTheAnswers() throws Exception {
        ApiFixture fixture = new ApiFixture("tokens-logs", null);
        String secret = fixture.home.credentialsClient("batch", List.of("7"));
        String password = "pa55-" + "q".repeat(20);
        List<String> secrets = new ArrayList<>(List.of(secret, password));
        StringBuilder answers = new StringBuilder();
        String accessLog;
        try (LogCapture log = LogCapture.start(Logger.getLogger(""));
             EmbeddedServer server = new EmbeddedServer(fixture.home.path())) {
            server.addUser("alice", password, "etl");
            Api api = new Api(server);
            TokenClient tokens = new TokenClient(server);

            TokenClient.Answer pair = tokens.clientCredentials("batch", secret);
            TokenClient.Answer user = tokens.token(form("grant_type", "password", "username", "alice",
                    "password", password), "Authorization", basic("batch", secret));
            TokenClient.Answer refreshed = tokens.token(form("grant_type", "refresh_token", "client_id", "batch",
                    "client_secret", secret, "refresh_token", pair.refreshToken()));
            secrets.addAll(List.of(pair.accessToken(), pair.refreshToken(), user.accessToken(), user.refreshToken(),
                    refreshed.accessToken(), refreshed.refreshToken()));
            answers.append(tokens.token(form("grant_type", "password", "username", "alice", "password",
                    password + "x"), "Authorization", basic("batch", secret)).body());
            answers.append(tokens.token(form("grant_type", "refresh_token", "client_id", "batch",
                    "client_secret", secret, "refresh_token", pair.refreshToken())).body());
            answers.append(tokens.token(form("grant_type", "client_credentials", "client_id", "batch",
                    "client_secret", secret + "x")).body());
            answers.append(tokens.token("grant_type=client_credentials&client_secret=" + secret + "%zz").body());
            answers.append(tokens.send(HttpRequest.newBuilder(URI.create(server.url(TokenClient.TOKEN_PATH
                    + "?grant_type=password&client_id=batch&client_secret=" + secret + "&password=" + password
                    + "&refresh_token=" + pair.refreshToken()))).GET().build()).body());
            answers.append(tokens.get(api, "/api/v1/getJobs.jsp?appId=7", user.accessToken()).body());
            answers.append(tokens.get(api, "/api/v1/getJobs.jsp?appId=7&access_token=" + refreshed.accessToken(),
                    refreshed.accessToken()).body());
            answers.append(tokens.get(api, "/api/v1/getJobs.jsp?appId=7", pair.accessToken()).body());
            answers.append(tokens.get(api, "/api/v1/nothing.jsp?access_token=" + user.accessToken(),
                    user.accessToken()).body());
            answers.append(api.send(HttpRequest.newBuilder(URI.create(server.url("/api/v1/getJobs.jsp?appId=7")))
                    .header("Authorization", "Bearer " + pair.refreshToken()).GET().build()).body());

            String logged = log.text();
            assertTrue(logged.contains("Token issued to client batch"), logged);
            for (String value : secrets) {
                assertFalse(logged.contains(value), "a secret reached the server log");
                assertFalse(logged.contains(value.substring(4, 20)), "part of a secret reached the server log");
                assertFalse(answers.toString().contains(value), "a secret reached an answer: " + answers);
            }
            accessLog = server.accessLog();
        }
        assertTrue(accessLog.contains(TokenClient.TOKEN_PATH + "?grant_type=password&client_id=batch"
                + "&client_secret=****&password=****&refresh_token=****"), accessLog);
        assertTrue(accessLog.contains("/api/v1/getJobs.jsp?appId=7&access_token=****"), accessLog);
        for (String value : secrets) {
            assertFalse(accessLog.contains(value), "a secret reached the access log: " + accessLog);
        }
    }
}
