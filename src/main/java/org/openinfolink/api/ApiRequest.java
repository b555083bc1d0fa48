package org.openinfolink.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.openinfolink.json.Json;

/**
 * The fields of one API call: its JSON body (whatever the Content-Type says) and, for the fields a
 * GET may carry, its query parameters. Reading enforces {@code api.maxRequestBytes} and answers bad
 * bodies with INVALID_JSON before anything else looks at them. Used by one request thread.
 */
final class ApiRequest {

    private static final String API_KEY_HEADER = "X-API-Key";

    private final HttpServletRequest request;
    private final ObjectNode body;

    private ApiRequest(HttpServletRequest request, ObjectNode body) {
        this.request = request;
        this.body = body;
    }

    /**
     * Reads the request's body.
     *
     * @param bodyRequired whether an empty body is an error (executeJob) or just no fields (a GET)
     * @throws ApiException REQUEST_TOO_LARGE or INVALID_JSON
     */
    static ApiRequest read(HttpServletRequest request, long maxRequestBytes, boolean bodyRequired) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxRequestBytes) {
            throw tooLarge(maxRequestBytes);
        }
        byte[] bytes = readBody(request.getInputStream(), maxRequestBytes);
        if (isBlank(bytes)) {
            if (bodyRequired) {
                throw new ApiException(ErrorCode.INVALID_JSON, "Request body is empty: send one JSON object.");
            }
            return new ApiRequest(request, Json.mapper().createObjectNode());
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
        return new ApiRequest(request, (ObjectNode) parsed);
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
        String query = emptyToNull(request.getParameter("apiKey"));
        return query != null ? query : emptyToNull(request.getHeader(API_KEY_HEADER));
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
        return emptyToNull(request.getParameter(name));
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
        String query = emptyToNull(request.getParameter(name));
        if (query == null) {
            return defaultValue;
        }
        if (query.equalsIgnoreCase("true") || query.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(query);
        }
        throw ApiException.invalid(name + " must be true or false.");
    }

    private static byte[] readBody(InputStream in, long maxRequestBytes) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int read;
        while ((read = in.read(buffer)) != -1) {
            if (body.size() + read > maxRequestBytes) {
                throw tooLarge(maxRequestBytes);
            }
            body.write(buffer, 0, read);
        }
        return body.toByteArray();
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
