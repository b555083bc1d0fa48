package org.openinfolink.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every error code of CONTRACT section 7, in the order of checks it gives, under both values of
 * {@code api.httpErrorStatus}: with false every answer is HTTP 200, with true it carries the
 * code's status. Always the JSON envelope, never HTML.
 */
class ErrorCodesTest {

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithHttpStatus200 extends Checks {
        WithHttpStatus200() {
            super(false);
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithHttpErrorStatus extends Checks {
        WithHttpErrorStatus() {
            super(true);
        }
    }

    abstract static class Checks {
        private final boolean httpErrorStatus;
        private ApiFixture fixture;
        private EmbeddedServer server;
        private Api api;

        Checks(boolean httpErrorStatus) {
            this.httpErrorStatus = httpErrorStatus;
        }

        @BeforeAll
        void start() throws Exception {
            fixture = new ApiFixture("errors-" + httpErrorStatus, """
                    api:
                      httpErrorStatus: %s
                      maxRequestBytes: 2048
                    jobs:
                      syncTimeoutSeconds: 1
                    """.formatted(httpErrorStatus));
            server = new EmbeddedServer(fixture.home.path());
            api = new Api(server);
        }

        @AfterAll
        void stop() throws Exception {
            server.close();
        }

        private void assertError(Api.Answer answer, String code, int httpStatus, String message) {
            assertEquals("error", answer.status(), answer.toString());
            assertEquals(code, answer.code(), answer.toString());
            assertEquals(httpErrorStatus ? httpStatus : 200, answer.httpStatus(), answer.toString());
            assertEquals("application/json;charset=UTF-8", answer.contentType().replace(" ", ""));
            assertFalse(answer.result().path("message").asText().isEmpty());
            if (message != null) {
                assertEquals(message, answer.result().path("message").asText());
            }
            assertEquals("status", lastFieldName(answer), "status is written last");
        }

        private static String lastFieldName(Api.Answer answer) {
            String last = null;
            for (var names = answer.body().fieldNames(); names.hasNext(); ) {
                last = names.next();
            }
            return last;
        }

        private static com.fasterxml.jackson.databind.JsonNode json(String text) throws Exception {
            return org.openinfolink.json.Json.mapper().readTree(text);
        }

        private ObjectNode execute(String key, String appId, String scenario) {
            return Api.runScenario(key, appId, scenario, true);
        }

        private Api.Answer executeJob(Object body) throws Exception {
            return api.post("/api/v1/executeJob.jsp", body.toString());
        }

        @Test
        void missingParameter() throws Exception {
            ObjectNode noKey = execute(fixture.app7Key, "7", "Companies");
            noKey.remove("apiKey");
            assertError(executeJob(noKey), "MISSING_PARAMETER", 400, "apiKey parameter is required.");

            ObjectNode emptyKey = execute("", "7", "Companies");
            assertError(executeJob(emptyKey), "MISSING_PARAMETER", 400, "apiKey parameter is required.");

            ObjectNode noApp = execute(fixture.app7Key, "7", "Companies");
            noApp.remove("appId");
            assertError(executeJob(noApp), "MISSING_PARAMETER", 400, "appId parameter is required.");

            ObjectNode noOperation = execute(fixture.app7Key, "7", "Companies");
            noOperation.remove("operation");
            assertError(executeJob(noOperation), "MISSING_PARAMETER", 400, "operation parameter is required.");

            ObjectNode noScenario = execute(fixture.app7Key, "7", "Companies");
            ((ObjectNode) noScenario.path("operation").path("opParams")).remove("scenario");
            assertError(executeJob(noScenario), "MISSING_PARAMETER", 400,
                    "operation.opParams.scenario parameter is required.");

            assertError(api.get("/api/v1/getJobStatus.jsp", Api.params("apiKey", fixture.app7Key, "appId", "7")),
                    "MISSING_PARAMETER", 400, "jobId parameter is required.");
        }

        @Test
        void invalidJson() throws Exception {
            Api.Answer truncated = api.post("/api/v1/executeJob.jsp", "{\"apiKey\": \"abc\", ");
            assertError(truncated, "INVALID_JSON", 400, null);
            String message = truncated.result().path("message").asText();
            assertTrue(message.startsWith("Request body is not valid JSON: Unexpected end-of-input"), message);
            assertTrue(message.endsWith("at line 1, column 19."), message);
            assertFalse(message.contains("abc"), "the body is not echoed");

            assertError(api.post("/api/v1/executeJob.jsp", "[1, 2]"), "INVALID_JSON", 400,
                    "Request body must be one JSON object.");
            assertError(api.post("/api/v1/executeJob.jsp", ""), "INVALID_JSON", 400, null);
            assertError(api.post("/api/v1/executeJob.jsp", "{\"apiKey\": il_secret}"), "INVALID_JSON", 400, null);
            assertError(api.post("/api/v1/executeJob.jsp", "{} {}"), "INVALID_JSON", 400, null);
            // JSON is checked before the key: a bad body with no key is INVALID_JSON
            assertError(api.post("/api/v1/executeJob.jsp", "{"), "INVALID_JSON", 400, null);
        }

        @Test
        void unquotedKeyInABrokenBodyIsNotEchoed() throws Exception {
            Api.Answer answer = api.post("/api/v1/executeJob.jsp", "{\"apiKey\": " + fixture.app7Key + "}");
            assertError(answer, "INVALID_JSON", 400, null);
            assertFalse(answer.body().toString().contains(fixture.app7Key));
            assertFalse(answer.body().toString().contains(fixture.app7Key.substring(3, 20)));
        }

        @Test
        void invalidParameter() throws Exception {
            ObjectNode badAsync = execute(fixture.app7Key, "7", "Companies");
            badAsync.put("isAsync", "yes");
            assertError(executeJob(badAsync), "INVALID_PARAMETER", 400, "isAsync must be true or false.");

            ObjectNode badJobId = execute(fixture.app7Key, "7", "Companies");
            badJobId.put("jobId", "has space");
            assertError(executeJob(badJobId), "INVALID_PARAMETER", 400, null);
            badJobId.put("jobId", "x".repeat(129));
            assertError(executeJob(badJobId), "INVALID_PARAMETER", 400, null);

            ObjectNode badType = execute(fixture.app7Key, "7", "Companies");
            ObjectNode parameters = (ObjectNode) badType.path("operation").path("opParams").path("parameters");
            parameters.put("country", "US").put("minId", "abc");
            assertError(executeJob(badType), "INVALID_PARAMETER", 400,
                    "Parameter 'minId' of scenario 'Companies' must be an integer, got 'abc'.");

            ObjectNode missingRequired = execute(fixture.app7Key, "7", "Companies");
            assertError(executeJob(missingRequired), "INVALID_PARAMETER", 400,
                    "Parameter 'country' of scenario 'Companies' is required.");

            ObjectNode undeclared = execute(fixture.app7Key, "7", "Companies");
            ((ObjectNode) undeclared.path("operation").path("opParams").path("parameters"))
                    .put("country", "US").put("colour", "red");
            assertError(executeJob(undeclared), "INVALID_PARAMETER", 400,
                    "Scenario 'Companies' has no parameter 'colour'.");

            ObjectNode asString = execute(fixture.app7Key, "7", "Companies");
            ((ObjectNode) asString.path("operation").path("opParams").path("parameters"))
                    .put("country", "US").put("minId", "2");
            assertEquals("success", executeJob(asString).status(), "\"2\" is a valid integer");
        }

        @Test
        void invalidApiKey() throws Exception {
            assertError(executeJob(execute("il_not-a-key", "7", "Companies")), "INVALID_API_KEY", 401,
                    "Invalid API key.");
            assertError(api.status("il_not-a-key", "7", "x"), "INVALID_API_KEY", 401, "Invalid API key.");
        }

        @Test
        void accessDeniedAndAppNotFoundAreToldApartOnlyForAllAppKeys() throws Exception {
            assertError(executeJob(execute(fixture.app8Key, "7", "Companies")), "ACCESS_DENIED", 403,
                    "This API key has no access to app '7'.");
            assertError(executeJob(execute(fixture.app7Key, "9", "Companies")), "ACCESS_DENIED", 403,
                    "This API key has no access to app '9'.");
            assertError(executeJob(execute(fixture.allAppsKey, "9", "Companies")), "APP_NOT_FOUND", 404,
                    "App '9' not found.");
        }

        @Test
        void appIdMayBeANumber() throws Exception {
            ObjectNode body = execute(fixture.app7Key, "7", "Companies");
            body.put("appId", 7);
            ((ObjectNode) body.path("operation").path("opParams").path("parameters")).put("country", "US");
            assertEquals("success", executeJob(body).status());
        }

        @Test
        void operationNotAllowedAndUnknownOperation() throws Exception {
            ObjectNode transform = execute(fixture.app7Key, "7", "Companies");
            ObjectNode operation = (ObjectNode) transform.path("operation");
            operation.put("opName", "Transform");
            operation.putObject("opParams").put("query", "SELECT 1 AS one").put("returnResult", true);
            assertError(executeJob(transform), "OPERATION_NOT_ALLOWED", 403,
                    "Operation 'Transform' is not allowed for this API key.");

            operation.put("opName", "Foo");
            assertError(executeJob(transform), "UNKNOWN_OPERATION", 400, "Unknown operation 'Foo'.");
        }

        @Test
        void scenarioNotFoundAndInvalid() throws Exception {
            assertError(executeJob(execute(fixture.app7Key, "7", "Main2")), "SCENARIO_NOT_FOUND", 404,
                    "Scenario 'Main2' not found in app '7'.");
            assertError(executeJob(execute(fixture.app7Key, "7", "Broken")), "SCENARIO_INVALID", 500,
                    "Scenario 'Broken' is invalid: step 1: query is required.");
        }

        @Test
        void jobNotFoundAndDuplicateJobId() throws Exception {
            assertError(api.status(fixture.app7Key, "7", "abc"), "JOB_NOT_FOUND", 404, "Job 'abc' not found in app '7'.");
            assertError(api.get("/api/v1/stopJob.jsp", Api.params("apiKey", fixture.app7Key, "appId", "7",
                    "jobId", "abc")), "JOB_NOT_FOUND", 404, "Job 'abc' not found in app '7'.");

            ObjectNode first = execute(fixture.app7Key, "7", "Companies");
            ((ObjectNode) first.path("operation").path("opParams").path("parameters")).put("country", "US");
            first.put("jobId", "dup-" + httpErrorStatus);
            assertEquals("success", executeJob(first).status());
            ObjectNode second = first.deepCopy();
            ((ObjectNode) second.path("operation").path("opParams").path("parameters")).put("country", "DE");
            assertError(executeJob(second), "DUPLICATE_JOB_ID", 409, "Job id 'dup-" + httpErrorStatus
                    + "' is already used by a different request in app '7'.");
        }

        @Test
        void requestTooLarge() throws Exception {
            ObjectNode big = execute(fixture.app7Key, "7", "Companies");
            big.put("padding", "x".repeat(3000));
            assertError(executeJob(big), "REQUEST_TOO_LARGE", 413, null);
        }

        @Test
        void methodNotAllowed() throws Exception {
            for (String method : new String[] {"PUT", "DELETE", "PATCH"}) {
                assertError(api.method(method, "/api/v1/executeJob.jsp"), "METHOD_NOT_ALLOWED", 405, null);
            }
            assertError(api.get("/api/v1/executeJob.jsp", Api.params()), "METHOD_NOT_ALLOWED", 405, null);
        }

        @Test
        void syncOutcomes() throws Exception {
            ObjectNode failing = Api.runScenario(fixture.app7Key, "7", "FailsHalfway", false);
            Api.Answer failed = executeJob(failing);
            assertEquals("JOB_FAILED", failed.code());
            assertEquals(200, failed.httpStatus());

            Api.Answer timedOut = executeJob(Api.runScenario(fixture.app7Key, "7", "Slow", false));
            assertEquals("SYNC_TIMEOUT", timedOut.code());
            assertEquals(200, timedOut.httpStatus());
            String jobId = timedOut.result().path("jobId").asText();

            ObjectNode retry = Api.runScenario(fixture.app7Key, "7", "Slow", false);
            retry.put("jobId", "sticky-" + httpErrorStatus);
            Api.Answer started = executeJob(retry);
            assertEquals("SYNC_TIMEOUT", started.code());
            api.get("/api/v1/stopJob.jsp", Api.params("apiKey", fixture.app7Key, "appId", "7",
                    "jobId", "sticky-" + httpErrorStatus));
            Api.Answer stopped = executeJob(retry);
            assertEquals("JOB_STOPPED", stopped.code(), stopped.toString());
            assertEquals(200, stopped.httpStatus());
            assertEquals("Stopped by request", stopped.result().path("message").asText());
            api.get("/api/v1/stopJob.jsp", Api.params("apiKey", fixture.app7Key, "appId", "7", "jobId", jobId));
            api.awaitFinished(fixture.app7Key, "7", jobId, Duration.ofSeconds(10));
        }

        /** The error envelope with the container's own status, whatever httpErrorStatus says. */
        private void assertContainerError(Api.Answer answer, String code, int httpStatus) {
            assertEquals("error", answer.status(), answer.toString());
            assertEquals(code, answer.code(), answer.toString());
            assertEquals(httpStatus, answer.httpStatus(), answer.toString());
            assertEquals("application/json;charset=UTF-8", answer.contentType().replace(" ", ""));
            assertEquals("status", lastFieldName(answer), "status is written last");
        }

        @Test
        void containerErrorPagesAnswerInJsonAndKeepTheirStatus() throws Exception {
            Api.Answer notFound = api.get("/api/v1/noSuchEndpoint.jsp", Api.params());
            assertContainerError(notFound, "NOT_FOUND", 404);
            assertEquals("No such endpoint: /infolink/api/v1/noSuchEndpoint.jsp.",
                    notFound.result().path("message").asText());
            assertContainerError(api.get("/api/v2/whatever", Api.params()), "NOT_FOUND", 404);
            assertContainerError(api.get("/nope", Api.params()), "NOT_FOUND", 404);
            assertContainerError(api.get("/WEB-INF/web.xml", Api.params()), "NOT_FOUND", 404);
            assertContainerError(api.get("/WEB-INF/error", Api.params()), "NOT_FOUND", 404);
            assertContainerError(api.post("/api/v1/nope.jsp", "{}"), "NOT_FOUND", 404);
            Api.Answer html = api.send(HttpRequest.newBuilder(URI.create(server.url("/api/v1/nothing.jsp")))
                    .header("Accept", "text/html").GET().build());
            assertContainerError(html, "NOT_FOUND", 404);
            // no endpoint, whatever the method: Jasper finds no JSP, the default servlet takes no PUT
            assertContainerError(api.method("PUT", "/api/v1/nope.jsp"), "NOT_FOUND", 404);
            assertContainerError(api.method("DELETE", "/nope"), "METHOD_NOT_ALLOWED", 405);
        }

        @Test
        void wrongJsonTypesAreInvalidNotMissing() throws Exception {
            for (String type : new String[] {"{}", "[]", "{\"a\": 1}", "[\"x\"]"}) {
                ObjectNode opName = execute(fixture.app7Key, "7", "Companies");
                ((ObjectNode) opName.path("operation")).set("opName", json(type));
                assertError(executeJob(opName), "INVALID_PARAMETER", 400, "operation.opName must be a string.");

                ObjectNode scenario = execute(fixture.app7Key, "7", "Companies");
                ((ObjectNode) scenario.path("operation").path("opParams")).set("scenario", json(type));
                assertError(executeJob(scenario), "INVALID_PARAMETER", 400,
                        "operation.opParams.scenario must be a string.");

                ObjectNode apiKey = execute(fixture.app7Key, "7", "Companies");
                apiKey.set("apiKey", json(type));
                assertError(executeJob(apiKey), "INVALID_PARAMETER", 400, "apiKey must be a string.");

                ObjectNode appId = execute(fixture.app7Key, "7", "Companies");
                appId.set("appId", json(type));
                assertError(executeJob(appId), "INVALID_PARAMETER", 400, "appId must be a string.");
            }
            ObjectNode number = execute(fixture.app7Key, "7", "Companies");
            ((ObjectNode) number.path("operation").path("opParams")).put("scenario", 5);
            assertError(executeJob(number), "INVALID_PARAMETER", 400, "operation.opParams.scenario must be a string.");
            ObjectNode empty = execute(fixture.app7Key, "7", "Companies");
            ((ObjectNode) empty.path("operation")).put("opName", "");
            assertError(executeJob(empty), "MISSING_PARAMETER", 400, "operation.opName parameter is required.");
        }

        @Test
        void scenarioParameterValuesAreNotTrimmed() throws Exception {
            for (String padded : new String[] {" 1", "1 ", "\t1"}) {
                ObjectNode body = execute(fixture.app7Key, "7", "Companies");
                ((ObjectNode) body.path("operation").path("opParams").path("parameters"))
                        .put("country", "US").put("minId", padded);
                assertError(executeJob(body), "INVALID_PARAMETER", 400,
                        "Parameter 'minId' of scenario 'Companies' must be an integer, got '" + padded + "'.");
            }
        }

        @Test
        void theContextRootIsAPageForNewcomers() throws Exception {
            HttpResponse<String> root = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(server.url("/"))).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, root.statusCode());
            assertTrue(root.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), root.headers()
                    .toString());
            assertTrue(root.body().contains("<title>Open InfoLink job server</title>"), root.body());
            assertTrue(root.body().contains("href=\"health\"") && root.body().contains("href=\"admin/\""),
                    root.body());
            assertTrue(root.body().contains("API reference"), root.body());
        }

        @Test
        void checksRunInTheContractsOrder() throws Exception {
            // size before JSON
            assertError(api.post("/api/v1/executeJob.jsp", "{" + " ".repeat(3000)), "REQUEST_TOO_LARGE", 413, null);
            // key present before appId
            assertError(api.post("/api/v1/executeJob.jsp", "{}"), "MISSING_PARAMETER", 400,
                    "apiKey parameter is required.");
            // key valid before appId present
            assertError(api.post("/api/v1/executeJob.jsp", "{\"apiKey\": \"wrong\"}"), "INVALID_API_KEY", 401, null);
            // appId present before access and the rest
            assertError(api.post("/api/v1/executeJob.jsp", "{\"apiKey\": \"" + fixture.app7Key + "\"}"),
                    "MISSING_PARAMETER", 400, "appId parameter is required.");
            // access before the rest
            ObjectNode denied = execute(fixture.app8Key, "7", "NoSuchScenario");
            denied.put("isAsync", "nonsense");
            assertError(executeJob(denied), "ACCESS_DENIED", 403, null);
        }
    }
}
