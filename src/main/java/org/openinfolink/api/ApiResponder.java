package org.openinfolink.api;

import com.fasterxml.jackson.core.JsonGenerator;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.logging.Logger;
import org.openinfolink.errors.InternalErrors;
import org.openinfolink.json.Json;
import org.openinfolink.server.InfoLinkServer;

/**
 * Writes the contract's envelope, {@code {"result": {...}, "status": "success"|"error"}}, with
 * {@code status} last so that large results stream before it. The one place errors are rendered.
 */
public final class ApiResponder {

    /** Writes the fields inside {@code result}; {@code out} is the raw stream below the generator. */
    @FunctionalInterface
    public interface ResultFields {
        void write(JsonGenerator json, OutputStream out) throws IOException;
    }

    public static final String CONTENT_TYPE = "application/json;charset=UTF-8";

    private static final Logger LOG = Logger.getLogger(ApiResponder.class.getName());

    private final boolean httpErrorStatus;
    private String answeredCode = "none";

    /** @param httpErrorStatus whether errors carry their HTTP status ({@code api.httpErrorStatus}) */
    public ApiResponder(boolean httpErrorStatus) {
        this.httpErrorStatus = httpErrorStatus;
    }

    /** The responder for a server's settings; errors are HTTP 200 when the server is gone. */
    public static ApiResponder of(InfoLinkServer server) {
        return new ApiResponder(server != null && server.settings().api().httpErrorStatus());
    }

    public void success(HttpServletResponse response, ResultFields fields) throws IOException {
        answeredCode = "none";
        write(response, HttpServletResponse.SC_OK, "success", fields);
    }

    /** The whole body of a success envelope, for an answer that is kept and sent again. */
    public static byte[] successBody(ResultFields fields) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(1024);
        writeEnvelope(body, "success", fields);
        return body.toByteArray();
    }

    /** A success envelope made earlier by {@link #successBody}. */
    public void success(HttpServletResponse response, byte[] body) throws IOException {
        answeredCode = "none";
        writeHeaders(response, HttpServletResponse.SC_OK);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** An error envelope with the code and message of {@code error}. */
    public void error(HttpServletResponse response, ApiException error) throws IOException {
        error(response, error.code(), error.getMessage(), (json, out) -> { });
    }

    /**
     * An error envelope with the HTTP status {@code httpStatus} whatever {@code api.httpErrorStatus}
     * says: for what is no endpoint (a 404 or 405 of the container), which keeps its status.
     */
    public static void errorKeepingStatus(HttpServletResponse response, int httpStatus, ApiException error)
            throws IOException {
        write(response, httpStatus, "error", (json, out) -> {
            json.writeStringField("message", error.getMessage());
            json.writeStringField("code", error.code().name());
        });
    }

    /** An error envelope with extra fields after {@code message} and {@code code}. */
    public void error(HttpServletResponse response, ErrorCode code, String message, ResultFields extra)
            throws IOException {
        int status = httpErrorStatus ? code.httpStatus() : HttpServletResponse.SC_OK;
        answeredCode = code.name();
        write(response, status, "error", (json, out) -> {
            json.writeStringField("message", message);
            json.writeStringField("code", code.name());
            extra.write(json, out);
        });
    }

    /**
     * Logs an unexpected failure under a new reference and answers INTERNAL_ERROR with that
     * reference only; the stack trace stays in the server log.
     */
    public void internalError(HttpServletResponse response, Throwable failure, String context) throws IOException {
        String reference = InternalErrors.log(LOG, context, failure);
        if (!response.isCommitted()) {
            response.resetBuffer();
            error(response, new ApiException(ErrorCode.INTERNAL_ERROR, InternalErrors.message(reference)));
        }
    }

    /**
     * The error code this responder last answered, or {@code none} when it answered success or
     * nothing yet: what the metrics count. A responder serves one request on one thread.
     */
    public String answeredCode() {
        return answeredCode;
    }

    private static void write(HttpServletResponse response, int status, String outcome, ResultFields fields)
            throws IOException {
        writeHeaders(response, status);
        writeEnvelope(response.getOutputStream(), outcome, fields);
    }

    private static void writeHeaders(HttpServletResponse response, int status) {
        response.setStatus(status);
        response.setContentType(CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
    }

    private static void writeEnvelope(OutputStream out, String outcome, ResultFields fields) throws IOException {
        // Not try-with-resources: closing flushes, and a half-written answer must not be flushed
        // when writing fails; the caller resets the buffer and answers the error instead.
        JsonGenerator json = Json.generator(out);
        json.writeStartObject();
        json.writeObjectFieldStart("result");
        fields.write(json, out);
        json.writeEndObject();
        json.writeStringField("status", outcome);
        json.writeEndObject();
        json.close();
    }
}
