package org.openinfolink.api;

/**
 * The stable error codes of the API (CONTRACT section 7) with the HTTP status each carries when
 * {@code api.httpErrorStatus} is on. With it off, every answer is HTTP 200.
 */
public enum ErrorCode {
    MISSING_PARAMETER(400),
    INVALID_JSON(400),
    INVALID_PARAMETER(400),
    INVALID_API_KEY(401),
    /** Malformed HTTP: a bad percent-escape, a body shorter than its length, broken chunking. */
    INVALID_REQUEST(400),
    /** An unknown or expired {@code Authorization: Bearer} token (section 12.1). */
    INVALID_TOKEN(401),
    ACCESS_DENIED(403),
    OPERATION_NOT_ALLOWED(403),
    UNKNOWN_OPERATION(400),
    APP_NOT_FOUND(404),
    SCENARIO_NOT_FOUND(404),
    SCENARIO_INVALID(500),
    JOB_NOT_FOUND(404),
    DUPLICATE_JOB_ID(409),
    REQUEST_TOO_LARGE(413),
    METHOD_NOT_ALLOWED(405),
    SERVER_BUSY(503),
    SCENARIO_BUSY(409),
    SHUTTING_DOWN(503),
    /** Extension: the job store cannot be reached or failed; the call may be retried. */
    STORE_UNAVAILABLE(503),
    JOB_FAILED(200),
    JOB_STOPPED(200),
    SYNC_TIMEOUT(200),
    /** Extension: a path under {@code /api/} that names no endpoint. */
    NOT_FOUND(404),
    INTERNAL_ERROR(500);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
