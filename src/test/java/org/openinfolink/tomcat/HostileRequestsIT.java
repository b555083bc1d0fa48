package org.openinfolink.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * CONTRACT section 15 on each stock Tomcat distribution with {@code tomcat-conf/server.xml} (the
 * ErrorReportValve and its JSON error files, the masking access log pattern) and the built-in
 * demo: a battery of hostile requests carrying a secret (in every spelling of {@code apiKey}, as
 * tokens and secrets, percent-encoded, in malformed query strings and form bodies, in bodies
 * shorter than their Content-Length or broken chunks, in requests the connector refuses) is
 * answered without server version or stack trace, and after Tomcat stops, no file of its
 * {@code logs/} (catalina.out, catalina.*.log, localhost.*.log, the access log) holds the secret
 * in plain or percent-encoded form.
 */
class HostileRequestsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CONTEXT_FILE = Path.of("tomcat-conf", "infolink.xml");
    private static final Path SERVER_XML = Path.of("tomcat-conf", "server.xml");
    private static final Path ERROR_FILES = Path.of("tomcat-conf", "errors");
    private static final Path IT_BASES = Path.of("target", "it-tomcat");

    private final List<StockTomcat> started = new ArrayList<>();

    @TestFactory
    Stream<DynamicNode> hostileRequests() {
        return distributions().stream().map(home -> {
            String name = home.getFileName().toString();
            String secret = "il_" + randomHex(24);
            Map<String, Raw> answers = new LinkedHashMap<>();
            StockTomcat[] tomcat = new StockTomcat[1];
            return dynamicContainer(name + ", tomcat-conf/server.xml", Stream.of(
                    dynamicTest("starts with the valve and its error files", () -> {
                        tomcat[0] = StockTomcat.start(options(home).catalinaBase(IT_BASES.resolve(name + "-hostile")));
                        started.add(tomcat[0]);
                    }),
                    dynamicTest("answers the application's refusals in the envelope", () ->
                            applicationRefusals(tomcat[0], secret, answers)),
                    dynamicTest("answers what the connector refuses without version or stack trace", () ->
                            connectorRefusals(tomcat[0], secret, answers)),
                    dynamicTest("stops cleanly", () -> {
                        tomcat[0].close();
                        assertTrue(tomcat[0].stoppedGracefully());
                    }),
                    dynamicTest("no log file holds the secret in any spelling", () ->
                            noLogHoldsTheSecret(tomcat[0], secret))));
        });
    }

    @AfterEach
    void stopLeftovers() {
        started.forEach(StockTomcat::close);
    }

    private static void applicationRefusals(StockTomcat tomcat, String secret, Map<String, Raw> answers)
            throws IOException {
        String encoded = percentEncodeEvery(secret);
        String status = "/infolink/api/v1/getJobStatus.jsp?";
        Map<String, String> invalidRequests = new LinkedHashMap<>();
        invalidRequests.put("bad escape after the key", get(status + "apiKey=" + secret + "&appId=7&jobId=%zz"));
        invalidRequests.put("bad escape before the key", get(status + "jobId=%G0&apiKey=" + secret + "&appId=7"));
        invalidRequests.put("truncated escape in the key", get(status + "apiKey=" + secret + "%4&appId=7&jobId=x"));
        invalidRequests.put("invalid UTF-8", get(status + "apiKe%79=" + secret + "&appId=%C3%28&jobId=x"));
        invalidRequests.put("encoded key, bad escape", get(status + "%61piKey=" + encoded + "&jobId=%"));
        invalidRequests.put("form body with a bad escape", post("/infolink/api/v1/getJobStatus.jsp",
                "application/x-www-form-urlencoded", "apiKey=" + secret + "&appId=7&jobId=%ZZ"));
        String shortBody = "{\"apiKey\": \"" + secret + "\", \"appId\": \"7\"";
        invalidRequests.put("body shorter than its Content-Length", "POST /infolink/api/v1/executeJob.jsp HTTP/1.1\r\n"
                + "Host: localhost\r\nContent-Type: application/json\r\nContent-Length: " + (shortBody.length() + 100)
                + "\r\n\r\n" + shortBody);
        invalidRequests.put("broken chunk", "POST /infolink/api/v1/executeJob.jsp HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4\r\n{\"a\"\r\nnot-hex\r\n\"apiKey\": \"" + secret + "\"}\r\n0\r\n\r\n");
        for (Map.Entry<String, String> request : invalidRequests.entrySet()) {
            boolean halfClose = request.getKey().startsWith("body shorter");
            Raw answer = send(tomcat, request.getValue(), halfClose);
            answers.put(request.getKey(), answer);
            assertEnvelope(answer, "INVALID_REQUEST", 200, request.getKey(), secret);
        }

        Map<String, String> wellFormed = new LinkedHashMap<>();
        wellFormed.put("apiKey", get(status + "apiKey=" + secret + "&appId=7&jobId=x"));
        wellFormed.put("apiKe%79", get(status + "apiKe%79=" + secret + "&appId=7&jobId=x"));
        wellFormed.put("%61PIKEY, key fully encoded", get(status + "appId=7&%61piKey=" + encoded + "&jobId=x"));
        wellFormed.put("apiKey%3D<key> as a name", get(status + "appId=7&apiKey%3D" + secret + "&jobId=x"));
        for (String name : List.of("access_token", "refresh_token", "client_secret", "password", "APIKEY")) {
            wellFormed.put(name, get(status + name + "=" + secret + "&appId=7&jobId=x"));
        }
        wellFormed.put("JSON with the key unquoted", post("/infolink/api/v1/executeJob.jsp", "application/json",
                "{\"apiKey\": " + secret + "}"));
        for (Map.Entry<String, String> request : wellFormed.entrySet()) {
            Raw answer = send(tomcat, request.getValue(), false);
            answers.put(request.getKey(), answer);
            assertEquals(200, answer.status(), request.getKey() + ": " + answer);
            assertTrue(answer.json().path("status").asText().equals("error"), request.getKey() + ": " + answer);
            assertFalse(answer.text().contains(secret), request.getKey() + " echoes the secret");
        }

        // a client that hangs up half-way through its body: nothing to answer, only a log line
        try (Socket socket = new Socket("127.0.0.1", tomcat.httpPort())) {
            socket.getOutputStream().write(("POST /infolink/api/v1/executeJob.jsp HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Length: 5000\r\n\r\n" + shortBody).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void connectorRefusals(StockTomcat tomcat, String secret, Map<String, Raw> answers)
            throws IOException {
        Map<String, String> requests = new LinkedHashMap<>();
        // first: Tomcat logs its first parse error of a day at INFO with the request target, the
        // key included, unless UserDataHelper is told otherwise (README, deployment step 5)
        requests.put("invalid character in the query", "GET /infolink/api/v1/getJobStatus.jsp?apiKey=" + secret
                + "&x=|{} HTTP/1.1\r\nHost: localhost\r\n\r\n");
        // no HTTP version: Tomcat takes it for HTTP/0.9 and answers the body alone
        requests.put("garbage request line", "GARBAGE\r\n\r\n");
        requests.put("control character in the request line", "GET /infolink/\u0007?apiKey=" + secret
                + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
        requests.put("100 KB URL", "GET /infolink/api/v1/getJobStatus.jsp?apiKey=" + secret + "&pad="
                + "x".repeat(100 * 1024) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
        requests.put("missing Host", "GET /infolink/api/v1/getJobStatus.jsp?apiKey=" + secret
                + "&appId=7&jobId=x HTTP/1.1\r\n\r\n");
        requests.put("outside every context", "GET /nothing-here?apiKey=" + secret + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
        requests.put("unknown HTTP version", "GET /infolink/ HTTP/3.7\r\nHost: localhost\r\n\r\n");
        for (Map.Entry<String, String> request : requests.entrySet()) {
            Raw answer = send(tomcat, request.getValue(), false);
            answers.put(request.getKey(), answer);
            String what = request.getKey() + ": " + answer;
            assertTrue(answer.status() == 0 || answer.status() >= 400 && answer.status() < 600, what);
            assertFalse(answer.text().contains("Apache Tomcat"), "server version shown: " + what);
            assertFalse(answer.text().toLowerCase(Locale.ROOT).contains("exception"), "exception shown: " + what);
            assertFalse(answer.text().contains("at org.apache"), "stack trace shown: " + what);
            assertFalse(answer.text().contains(secret), "secret echoed: " + what);
            if (answer.status() == 0 || answer.status() == 400 || answer.status() == 404) {
                JsonNode envelope = answer.json();
                assertEquals("error", envelope.path("status").asText(), what);
                assertTrue(envelope.path("result").path("code").isTextual(), what);
            }
        }
        System.out.println("Hostile requests answered: " + answers.entrySet().stream()
                .map(entry -> entry.getKey() + " -> " + entry.getValue().status()).collect(Collectors.joining("; ")));
    }

    private static void noLogHoldsTheSecret(StockTomcat tomcat, String secret) throws IOException {
        List<Path> files = tomcat.logFiles();
        List<String> names = files.stream().map(file -> file.getFileName().toString()).collect(Collectors.toList());
        assertTrue(names.contains("catalina.out"), names::toString);
        assertTrue(names.stream().anyMatch(file -> file.startsWith("catalina.") && file.endsWith(".log")),
                names::toString);
        assertTrue(names.stream().anyMatch(file -> file.startsWith("localhost_access_log")), names::toString);
        List<String> spellings = List.of(secret, percentEncodeEvery(secret),
                percentEncodeEvery(secret).toLowerCase(Locale.ROOT), secret.substring(3, 19));
        String all = "";
        for (Path file : files) {
            String text = Files.readString(file, StandardCharsets.ISO_8859_1);
            all += text;
            for (String spelling : spellings) {
                assertFalse(text.contains(spelling), () -> file + " holds the secret (" + spelling + "):\n"
                        + text.lines().filter(line -> line.contains(spelling)).collect(Collectors.joining("\n")));
            }
        }
        String logged = all;
        assertTrue(logged.contains("answered INVALID_REQUEST"), "the malformed requests are logged");
        assertTrue(logged.lines().filter(line -> line.contains("SEVERE")).findAny().isEmpty(),
                () -> "SEVERE lines: " + logged.lines().filter(line -> line.contains("SEVERE"))
                        .collect(Collectors.joining("\n")));
        assertFalse(logged.contains("INTERNAL_ERROR"), "no INTERNAL_ERROR");
        assertTrue(logged.contains("apiKey=****"), "the access log masks the key");
    }

    private static void assertEnvelope(Raw answer, String code, int httpStatus, String what, String secret) {
        assertEquals(httpStatus, answer.status(), what + ": " + answer);
        assertEquals(code, answer.json().path("result").path("code").asText(), what + ": " + answer);
        assertEquals("error", answer.json().path("status").asText(), what + ": " + answer);
        assertFalse(answer.text().contains(secret), what + " echoes the secret");
    }

    private static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    }

    private static String post(String path, String contentType, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: " + contentType
                + "\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    /**
     * An answer read from a raw socket: status (0 for an HTTP/0.9 answer, a body without status
     * line; -1 for none), headers and body as sent.
     */
    private record Raw(int status, String text, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text, e);
            }
        }

        @Override
        public String toString() {
            return text.length() > 2000 ? text.substring(0, 2000) + "..." : text;
        }
    }

    private static Raw send(StockTomcat tomcat, String request, boolean halfClose) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", tomcat.httpPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (halfClose) {
                    socket.shutdownOutput();
                }
            } catch (SocketException e) {
                // the connector refused part-way (the 100 KB URL): read what it answered
            }
            String text = readAnswer(socket.getInputStream());
            int headerEnd = text.indexOf("\r\n\r\n");
            if (text.startsWith("{")) {
                return new Raw(0, text, text);
            }
            if (!text.startsWith("HTTP/1.1 ") || headerEnd < 0) {
                return new Raw(-1, text, "");
            }
            String body = text.substring(headerEnd + 4);
            if (text.substring(0, headerEnd).toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
                body = dechunk(body);
            }
            return new Raw(Integer.parseInt(text.substring(9, 12)), text,
                    new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
        }
    }

    /** Reads until the server closes, the chunked body ends, or a Content-Length body is complete. */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int read;
            while ((read = in.read(buffer)) != -1) {
                bytes.write(buffer, 0, read);
                String text = bytes.toString(StandardCharsets.ISO_8859_1);
                int headerEnd = text.indexOf("\r\n\r\n");
                if (headerEnd >= 0) {
                    String headers = text.substring(0, headerEnd).toLowerCase(Locale.ROOT);
                    int at = headers.indexOf("content-length: ");
                    if (at >= 0) {
                        int length = Integer.parseInt(headers.substring(at + 16).split("\r\n")[0].trim());
                        if (text.length() - headerEnd - 4 >= length) {
                            break;
                        }
                    } else if (text.endsWith("\r\n0\r\n\r\n")) {
                        break;
                    }
                }
            }
        } catch (SocketTimeoutException | SocketException e) {
            // closed or reset by the server: what arrived is the answer
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    private static String dechunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            if (lineEnd < 0) {
                return body.toString();
            }
            int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, lineEnd + 2, Math.min(chunked.length(), lineEnd + 2 + size));
            at = lineEnd + 2 + size + 2;
        }
    }

    private static String percentEncodeEvery(String text) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            encoded.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
        }
        return encoded.toString();
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private static StockTomcat.Options options(Path home) {
        Path war = Path.of(System.getProperty("infolink.it.war", "target/infolink.war"));
        return StockTomcat.Options.forDistribution(home)
                .war(war)
                .contextFile(CONTEXT_FILE)
                .serverXml(SERVER_XML)
                .confDirectory(ERROR_FILES, "infolink-errors")
                // as the README's deployment steps put it in CATALINA_OPTS
                .systemProperty(StockTomcat.USER_DATA_LOG_PROPERTY, StockTomcat.USER_DATA_LOG_QUIET)
                .jvmOption("-Xmx" + System.getProperty("infolink.it.heap", "256m"))
                .unsetEnvironment("INFOLINK_HOME")
                .startTimeout(Duration.ofMinutes(2))
                .stopTimeout(Duration.ofSeconds(30));
    }

    private static List<Path> distributions() {
        String value = System.getProperty("infolink.it.tomcats", "");
        List<Path> homes = Arrays.stream(value.split(",")).map(String::trim).filter(entry -> !entry.isEmpty())
                .map(Path::of).collect(Collectors.toList());
        if (homes.isEmpty()) {
            fail("the system property infolink.it.tomcats names no Tomcat distribution: run this test with mvn verify");
        }
        homes.forEach(home -> {
            if (!Files.isDirectory(home)) {
                throw new UncheckedIOException(new IOException("no such distribution: " + home));
            }
        });
        return homes;
    }
}
