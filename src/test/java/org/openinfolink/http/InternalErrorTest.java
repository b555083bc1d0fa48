package org.openinfolink.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openinfolink.testsupport.LogCapture;

/** An unexpected failure answers INTERNAL_ERROR with a reference; the stack trace stays in the log. */
class InternalErrorTest {

    @Test
    void anUnexpectedFailureAnswersAReferenceAndLogsTheStackTraceUnderIt() throws Exception {
        ApiFixture fixture = new ApiFixture("internal", "api:\n  httpErrorStatus: true\n");
        try (LogCapture log = LogCapture.start(Logger.getLogger(""));
             EmbeddedServer server = new EmbeddedServer(fixture.home.path())) {
            Api.Answer answer = new Api(server).get("/api/v1/failing.jsp", Api.params());

            assertEquals("INTERNAL_ERROR", answer.code(), answer.toString());
            assertEquals(500, answer.httpStatus());
            String message = answer.result().path("message").asText();
            Matcher reference = Pattern.compile("Internal error \\(reference ([0-9a-f]{6})\\)\\.").matcher(message);
            assertTrue(reference.matches(), message);
            assertFalse(answer.body().toString().contains("boom"), "no exception text reaches the client");
            assertFalse(answer.body().toString().contains("at org."), "no stack trace reaches the client");

            String logged = log.text();
            assertTrue(logged.contains("SEVERE: Internal error (reference " + reference.group(1)
                    + "): Request /infolink/api/v1/failing.jsp\n"), "one format for every internal error: " + logged);
            assertTrue(logged.contains("boom from a test JSP"), "the log has the failure");
            assertTrue(logged.contains("\tat org.apache.jsp.api.v1.failing_jsp"), "with its stack trace: " + logged);
        }
    }
}
