package org.openinfolink.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openinfolink.json.Json;
import org.openinfolink.testsupport.LogCapture;
import org.openinfolink.testsupport.Poll;

/**
 * CONTRACT section 15, malformed HTTP: a bad percent-escape in the query string or a form body, a
 * body shorter than its Content-Length, broken chunking and a client that hangs up answer
 * INVALID_REQUEST (HTTP 400 with {@code api.httpErrorStatus}) where an answer can still be sent,
 * and are logged as one WARNING line with no stack trace and no value; never INTERNAL_ERROR.
 * Requests that no client library would send are written to a raw socket.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedRequestTest {

    private ApiFixture fixture;
    private EmbeddedServer server;
    private Api api;
    private LogCapture log;

    @BeforeAll
    void start() throws Exception {
        fixture = new ApiFixture("malformed", "api:\n  httpErrorStatus: true\n");
        server = new EmbeddedServer(fixture.home.path());
        api = new Api(server);
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    @BeforeEach
    void captureLog() {
        if (log != null) {
            log.close();
        }
        log = LogCapture.start(Logger.getLogger(""));
    }

    private String key() {
        return fixture.app7Key;
    }

    private static void assertInvalidRequest(Api.Answer answer) {
        assertEquals("error", answer.status(), answer.toString());
        assertEquals("INVALID_REQUEST", answer.code(), answer.toString());
        assertEquals(400, answer.httpStatus(), answer.toString());
    }

    private static void assertInvalidRequest(RawAnswer answer) {
        assertEquals("INVALID_REQUEST", answer.code(), String.valueOf(answer));
        assertEquals("error", answer.body().path("status").asText(), answer.toString());
        assertEquals(400, answer.httpStatus(), answer.toString());
    }

    /** The WARNING lines logged since the test began, after waiting for {@code count} of them. */
    private List<String> awaitWarnings(int count) throws Exception {
        return Poll.until(Duration.ofSeconds(10), () -> log.text().lines()
                .filter(line -> line.startsWith("WARNING: ") || line.startsWith("SEVERE: "))
                .collect(Collectors.toList()), lines -> lines.size() >= count, count + " warnings");
    }

    /** One WARNING line per malformed request, no stack trace, no key, nothing SEVERE. */
    private void assertLoggedAsOneWarningEach(int requests, String... secrets) throws Exception {
        List<String> warnings = awaitWarnings(requests);
        String logged = log.text();
        assertEquals(requests, warnings.size(), logged);
        for (String warning : warnings) {
            assertTrue(warning.startsWith("WARNING: "), logged);
            assertTrue(warning.contains("INVALID_REQUEST"), warning);
        }
        assertFalse(logged.contains("SEVERE"), logged);
        assertFalse(logged.contains("INTERNAL_ERROR"), logged);
        assertFalse(logged.contains("\tat "), "no stack trace: " + logged);
        assertFalse(logged.contains("Exception:"), "no exception report: " + logged);
        for (String secret : secrets) {
            assertFalse(logged.contains(secret), "a value reached the log: " + logged);
        }
    }

    @Test
    void aBadPercentEscapeAnywhereInTheQueryString() throws Exception {
        String key = key();
        List<String> queries = List.of(
                "apiKey=" + key + "&appId=7&jobId=%zz",
                "apiKey=" + key + "%&appId=7&jobId=x",
                "apiKey=" + key + "&appId=7&jobId=x%4",
                "apiKey=" + key + "&appId=%C3%28&jobId=x",
                "api%ZZKey=" + key + "&appId=7&jobId=x",
                "apiKey=" + key + "&appId=7&jobId=x&%=1");
        for (String query : queries) {
            assertInvalidRequest(rawGet("/api/v1/getJobStatus.jsp?" + query));
        }
        assertLoggedAsOneWarningEach(queries.size(), key, key.substring(3, 19));
    }

    @Test
    void aBadPercentEscapeInAFormBody() throws Exception {
        String key = key();
        Api.Answer answer = api.send(HttpRequest.newBuilder(URI.create(server.url("/api/v1/getJobStatus.jsp")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("apiKey=" + key + "&appId=7&jobId=%G1")).build());
        assertInvalidRequest(answer);
        Api.Answer executeJob = api.send(HttpRequest.newBuilder(URI.create(server.url("/api/v1/executeJob.jsp")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("apiKey=" + key + "%")).build());
        assertInvalidRequest(executeJob);
        assertLoggedAsOneWarningEach(2, key);
    }

    @Test
    void aWellFormedFormBodyCarriesTheFieldsOfAGetEndpoint() throws Exception {
        Api.Answer answer = api.send(HttpRequest.newBuilder(URI.create(server.url("/api/v1/getJobStatus.jsp")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("apiKey=" + key() + "&appId=7&jobId=no+such%20job"))
                .build());
        assertEquals("JOB_NOT_FOUND", answer.code(), answer.toString());
        assertEquals("Job 'no such job' not found in app '7'.", answer.result().path("message").asText());
    }

    @Test
    void escapesAndMixedCaseAreDecodedStrictly() throws Exception {
        RawAnswer answer = rawGet("/api/v1/getJobStatus.jsp?%61pi%4bey=" + key() + "&app%49d=7&jobId=%E2%82%AC");
        assertEquals("JOB_NOT_FOUND", answer.code(), answer.toString());
        assertEquals("Job '\u20ac' not found in app '7'.", answer.body().path("result").path("message").asText());
    }

    @Test
    void aBodyShorterThanItsContentLength() throws Exception {
        String body = "{\"apiKey\": \"" + key() + "\"";
        String request = "POST /infolink/api/v1/executeJob.jsp HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + (body.length() + 50) + "\r\n\r\n" + body;
        assertInvalidRequest(raw(request, true));
        assertLoggedAsOneWarningEach(1, key());
    }

    @Test
    void brokenChunkedEncoding() throws Exception {
        String request = "POST /infolink/api/v1/executeJob.jsp HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\n{\"a\":\r\nzz-not-a-chunk-size\r\n{\"apiKey\": \"" + key() + "\"}\r\n0\r\n\r\n";
        assertInvalidRequest(raw(request, false));
        assertLoggedAsOneWarningEach(1, key());
    }

    @Test
    void aClientThatHangsUpHalfWayIsOneWarning() throws Exception {
        String body = "{\"apiKey\": \"" + key() + "\", \"appId\": \"7\"";
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /infolink/api/v1/executeJob.jsp HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Length: 4000\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
        assertLoggedAsOneWarningEach(1, key());
    }

    @Test
    void wellFormedCallsStillWork() throws Exception {
        Api.Answer answer = api.get("/api/v1/getJobStatus.jsp", Api.params("apiKey", key(), "appId", "7",
                "jobId", "a b&c=d%"));
        assertEquals("JOB_NOT_FOUND", answer.code(), answer.toString());
        assertEquals("Job 'a b&c=d%' not found in app '7'.", answer.result().path("message").asText());
        assertFalse(log.text().lines().anyMatch(line -> line.startsWith("WARNING") || line.startsWith("SEVERE")),
                log.text());
        assertTrue(Logger.getLogger("").isLoggable(Level.WARNING));
    }

    /** One answer read from a raw socket: its status code and JSON body (null when none came). */
    private record RawAnswer(int httpStatus, JsonNode body) {
        String code() {
            return body == null ? null : body.path("result").path("code").asText();
        }
    }

    /** A GET whose request target is sent exactly as given, malformed escapes and all. */
    private RawAnswer rawGet(String pathAndQuery) throws IOException {
        return raw("GET /infolink" + pathAndQuery + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                false);
    }

    /**
     * Sends {@code request} on a raw socket and reads the answer until the server closes the
     * connection or the answer is complete.
     *
     * @param halfClose whether to end the request stream after sending, as a client that sent less
     *                  than its Content-Length and stopped would
     */
    private RawAnswer raw(String request, boolean halfClose) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            if (halfClose) {
                socket.shutdownOutput();
            }
            String response = readAll(socket.getInputStream());
            int headerEnd = response.indexOf("\r\n\r\n");
            if (headerEnd < 0) {
                return new RawAnswer(-1, null);
            }
            int status = Integer.parseInt(response.substring(9, 12));
            String headers = response.substring(0, headerEnd).toLowerCase(Locale.ROOT);
            String body = response.substring(headerEnd + 4);
            if (headers.contains("transfer-encoding: chunked")) {
                body = dechunk(body);
            }
            // framed as bytes (ISO-8859-1 keeps one char per byte), the body itself is UTF-8
            body = new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            return new RawAnswer(status, body.isBlank() ? null : Json.mapper().readTree(body));
        }
    }

    private static String dechunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            int read;
            while ((read = in.read(buffer)) != -1) {
                bytes.write(buffer, 0, read);
                if (bytes.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n0\r\n\r\n")) {
                    break;
                }
            }
        } catch (SocketTimeoutException | SocketException e) {
            // the server reset or stopped answering: what arrived is the answer
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }
}
