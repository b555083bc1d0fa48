package org.openinfolink.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import org.openinfolink.json.Json;

/**
 * The fields of one API call: its JSON body (whatever the Content-Type says) and, for the fields a
 * GET may carry, its query parameters. Reading enforces {@code api.maxRequestBytes} and answers bad
 * bodies with INVALID_JSON before anything else looks at them. The query string and a form body
 * are decoded here ({@link FormFields}), never by {@code getParameter}, so Tomcat has nothing to
 * log about a malformed one. Used by one request thread.
 */
final class ApiRequest {

    private static final String API_KEY_HEADER = "X-API-Key";
    private static final String FORM_CONTENT_TYPE = "application/x-www-form-urlencoded";
    private static final String BEARER = "Bearer";

    private final HttpServletRequest request;
    private final ObjectNode body;
    private final FormFields query;
    private final FormFields form;

    private ApiRequest(HttpServletRequest request, ObjectNode body, FormFields query, FormFields form) {
        this.request = request;
        this.body = body;
        this.query = query;
        this.form = form;
    }

    /**
     * Reads the request: its query string, decoded strictly by {@link FormFields}, then its body.
     * A body with the form Content-Type that is not JSON is decoded as form fields; for the
     * endpoints that take GET its fields count as the JSON body's would.
     *
     * @param bodyRequired whether an empty body is an error (executeJob) or just no fields (a GET)
     * @throws ApiException INVALID_REQUEST (malformed query string or form body, a body shorter
     *                      than its Content-Length, broken chunking), REQUEST_TOO_LARGE or INVALID_JSON
     */
    static ApiRequest read(HttpServletRequest request, long maxRequestBytes, boolean bodyRequired) throws IOException {
        FormFields query = FormFields.parse(request.getQueryString(), "query string");
        long declared = request.getContentLengthLong();
        if (declared > maxRequestBytes) {
            throw tooLarge(maxRequestBytes);
        }
        byte[] bytes = readBody(request, maxRequestBytes);
        if (isBlank(bytes)) {
            if (bodyRequired) {
                throw new ApiException(ErrorCode.INVALID_JSON, "Request body is empty: send one JSON object.");
            }
            return new ApiRequest(request, Json.mapper().createObjectNode(), query, FormFields.empty());
        }
        FormFields form = FormFields.empty();
        if (isFormBody(request, bytes)) {
            form = FormFields.parse(bytes, "form body");
            if (!bodyRequired) {
                return new ApiRequest(request, Json.mapper().createObjectNode(), query, form);
            }
        }
        JsonNode parsed;
        try {
            parsed = Json.mapper().readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new ApiException(ErrorCode.INVALID_JSON, "Request body is not valid JSON: " + describe(e));
        }
        if (parsed == null || !parsed.isObject()) {
            throw new ApiException(ErrorCode.INVALID_JSON, "Request body must be one JSON object.");
        }
        return new ApiRequest(request, (ObjectNode) parsed, query, FormFields.empty());
    }

    HttpServletRequest servletRequest() {
        return request;
    }

    ObjectNode body() {
        return body;
    }

    /** The API key from the body, else the query, else the {@code X-API-Key} header; null if none. */
    String apiKey() {
        JsonNode node = body.get("apiKey");
        if (node != null && !node.isNull()) {
            if (!node.isTextual()) {
                throw ApiException.invalid("apiKey must be a string.");
            }
            return emptyToNull(node.asText());
        }
        String field = emptyToNull(field("apiKey"));
        return field != null ? field : emptyToNull(request.getHeader(API_KEY_HEADER));
    }

    /**
     * The token of an {@code Authorization: Bearer <token>} header (the scheme in any case): empty
     * when the header names the scheme without a token, null when there is no such header (none,
     * or another scheme).
     */
    String bearerToken() {
        String header = request.getHeader("Authorization");
        if (header == null) {
            return null;
        }
        String value = header.strip();
        if (!value.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || (value.length() > BEARER.length() && value.charAt(BEARER.length()) != ' ')) {
            return null;
        }
        return value.substring(BEARER.length()).strip();
    }

    /**
     * A text field from the body (a JSON string, or a number read as its decimal text when
     * {@code numberAllowed}) or the query string; null when absent or empty.
     */
    String text(String name, boolean numberAllowed) {
        JsonNode node = body.get(name);
        if (node != null && !node.isNull()) {
            if (node.isTextual() || (numberAllowed && node.isNumber())) {
                return emptyToNull(node.isNumber() ? node.numberValue().toString() : node.asText());
            }
            throw ApiException.invalid(name + " must be a string.");
        }
        return emptyToNull(field(name));
    }

    String requiredText(String name, boolean numberAllowed) {
        String value = text(name, numberAllowed);
        if (value == null) {
            throw ApiException.missing(name);
        }
        return value;
    }

    /** A boolean field: a JSON boolean in the body, or {@code true}/{@code false} in the query. */
    boolean bool(String name, boolean defaultValue) {
        JsonNode node = body.get(name);
        if (node != null && !node.isNull()) {
            if (!node.isBoolean()) {
                throw ApiException.invalid(name + " must be true or false.");
            }
            return node.booleanValue();
        }
        String text = emptyToNull(field(name));
        if (text == null) {
            return defaultValue;
        }
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw ApiException.invalid(name + " must be true or false.");
    }

    /** A field of a form body, else of the query string; null when absent. */
    private String field(String name) {
        String value = form.get(name);
        return value != null ? value : query.get(name);
    }

    /**
     * The whole body. Tomcat's failures while it is read (the client sent less than its
     * Content-Length and closed or went silent, a chunk header is broken, the client hung up)
     * are the client's, not the server's: INVALID_REQUEST.
     */
    private static byte[] readBody(HttpServletRequest request, long maxRequestBytes) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            InputStream in = request.getInputStream();
            int read;
            while ((read = in.read(buffer)) != -1) {
                if (body.size() + read > maxRequestBytes) {
                    throw tooLarge(maxRequestBytes);
                }
                body.write(buffer, 0, read);
            }
        } catch (IOException e) {
            throw new MalformedRequestException("The request body could not be read: it is shorter than its "
                    + "Content-Length, its chunked encoding is broken, or the connection was closed.",
                    "request body unreadable after " + body.size() + " bytes: " + describeCause(e));
        }
        long declared = request.getContentLengthLong();
        if (declared >= 0 && body.size() < declared) {
            throw new MalformedRequestException("The request body is shorter than its Content-Length.",
                    "request body of " + body.size() + " bytes, Content-Length " + declared);
        }
        return body.toByteArray();
    }

    /** The failure's type and message, and its cause's, on one line; Tomcat's texts hold no request data. */
    private static String describeCause(IOException e) {
        StringBuilder text = new StringBuilder(e.getClass().getSimpleName());
        if (e.getMessage() != null) {
            text.append(" (").append(e.getMessage().lines().findFirst().orElse("")).append(')');
        }
        Throwable cause = e.getCause();
        if (cause != null && cause != e) {
            text.append(", caused by ").append(cause.getClass().getSimpleName());
            if (cause.getMessage() != null) {
                text.append(" (").append(cause.getMessage().lines().findFirst().orElse("")).append(')');
            }
        }
        return text.toString();
    }

    private static boolean isFormBody(HttpServletRequest request, byte[] bytes) {
        String contentType = request.getContentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(FORM_CONTENT_TYPE)) {
            return false;
        }
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return b != '{' && b != '[';
            }
        }
        return false;
    }

    private static ApiException tooLarge(long maxRequestBytes) {
        return new ApiException(ErrorCode.REQUEST_TOO_LARGE, "Request body is larger than " + maxRequestBytes
                + " bytes (api.maxRequestBytes).");
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    /**
     * Jackson's reason with its location, without quoted input: a malformed body may hold a key,
     * and nothing from the body is echoed back.
     */
    private static String describe(JsonProcessingException e) {
        String reason = e.getOriginalMessage();
        int cut = reason.indexOf('\n');
        if (cut >= 0) {
            reason = reason.substring(0, cut);
        }
        reason = reason.replaceAll("\\s*\\((?:start marker|for Object starting)[^)]*\\)", "")
                .replaceAll("'[^']*'", "")
                .replaceAll("\"[^\"]*\"", "")
                .replaceAll("\\s+:", ":")
                .replaceAll("\\s{2,}", " ")
                .trim();
        if (reason.endsWith(".") || reason.endsWith(":")) {
            reason = reason.substring(0, reason.length() - 1);
        }
        JsonLocation location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            reason += " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        }
        return reason + ".";
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
