package org.openinfolink.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code GET /health}: UP while the node can take jobs; DOWN, with the failed check, when it cannot. */
class HealthTest {

    @Test
    void aRunningServerIsUpAndAStoppingOneIsDown() throws Exception {
        ApiFixture fixture = new ApiFixture("health", "store:\n  nodeId: health-1\n");
        try (EmbeddedServer server = new EmbeddedServer(fixture.home.path())) {
            Api api = new Api(server);
            Api.Answer up = health(api, server);
            assertEquals(200, up.httpStatus(), up.toString());
            assertEquals("application/json;charset=UTF-8", up.contentType());
            assertEquals("UP", up.body().path("status").asText());
            assertEquals("health-1", up.body().path("node").asText());
            assertEquals("UP", up.body().path("checks").path("store").path("status").asText());
            assertEquals(0, up.body().path("queuedJobs").asInt());
            assertEquals(1, up.body().path("nodes").size(), up.toString());
            assertEquals("health-1", up.body().path("nodes").get(0).path("node").asText());
            long age = up.body().path("nodes").get(0).path("heartbeatAgeMillis").asLong(-1);
            assertTrue(age >= 0 && age < 10_000, "a fresh heartbeat: " + up);
            assertEquals(0, up.body().path("nodes").get(0).path("runningJobs").asInt());

            server.closeJobRegistry();
            Api.Answer stopping = health(api, server);
            assertEquals(503, stopping.httpStatus(), stopping.toString());
            assertEquals("DOWN", stopping.body().path("status").asText());
            assertEquals("the server is shutting down",
                    stopping.body().path("checks").path("accepting").path("reason").asText());
        }
    }

    @Test
    void aStoreThatDoesNotAnswerMakesTheNodeDownWithoutNamingASecret() throws Exception {
        String store = "jdbc:h2:mem:health_" + UUID.randomUUID().toString().replace("-", "")
                + ";DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE";
        String password = "s3cret-" + UUID.randomUUID();
        ApiFixture fixture = new ApiFixture("health-store", "store:\n  url: \"" + store + "\"\n  username: sa\n"
                + "  password: \"" + password + "\"\n");
        try (Connection keepAlive = DriverManager.getConnection(store, "sa", password);
             EmbeddedServer server = new EmbeddedServer(fixture.home.path())) {
            Api api = new Api(server);
            assertEquals(200, health(api, server).httpStatus());

            try (Statement statement = keepAlive.createStatement()) {
                statement.execute("DROP TABLE il_job");
            }
            Api.Answer down = health(api, server);
            assertEquals(503, down.httpStatus(), down.toString());
            assertEquals("DOWN", down.body().path("status").asText());
            assertEquals("UP", down.body().path("checks").path("accepting").path("status").asText());
            assertEquals("DOWN", down.body().path("checks").path("store").path("status").asText());
            assertTrue(down.body().path("checks").path("store").path("reason").asText().contains("job store"),
                    down.toString());
            assertFalse(down.body().toString().contains(password), "no secret in the answer");
            assertFalse(down.body().toString().contains("jdbc:"), "no URL in the answer");
        }
    }

    private static Api.Answer health(Api api, EmbeddedServer server) throws Exception {
        return api.send(HttpRequest.newBuilder(URI.create(server.url("/health"))).GET().build());
    }
}
