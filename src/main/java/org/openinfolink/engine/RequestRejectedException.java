package org.openinfolink.engine;

import java.util.Objects;

/**
 * A job request the engine cannot turn into work: a missing or wrong field, an unknown or invalid
 * scenario. The message is for the client and never holds a secret; the API layer maps the
 * {@link Reason} to its error code.
 */
public final class RequestRejectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the request was rejected. */
    public enum Reason {
        MISSING_FIELD,
        INVALID_FIELD,
        SCENARIO_NOT_FOUND,
        SCENARIO_INVALID
    }

    private final Reason reason;

    public RequestRejectedException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = Objects.requireNonNull(reason);
    }

    public Reason reason() {
        return reason;
    }
}
