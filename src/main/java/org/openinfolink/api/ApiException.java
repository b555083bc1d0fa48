package org.openinfolink.api;

import java.util.Objects;

/**
 * A refusal of a request: an error code and a message for humans. Thrown anywhere below the API
 * layer and rendered once, as the contract's error envelope, by {@link ApiResponder}. The message
 * must never contain a secret.
 */
public class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public ApiException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = Objects.requireNonNull(code);
    }

    public ErrorCode code() {
        return code;
    }

    public static ApiException missing(String field) {
        return new ApiException(ErrorCode.MISSING_PARAMETER, field + " parameter is required.");
    }

    public static ApiException invalid(String message) {
        return new ApiException(ErrorCode.INVALID_PARAMETER, message);
    }
}
