package org.openinfolink.auth;

/**
 * A caller the {@link Authenticator} does not accept. The message never holds the credential.
 */
public final class AuthenticationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the caller is refused. */
    public enum Reason {
        /** Neither an API key nor a Bearer token was sent. */
        MISSING,
        /** The API key belongs to no client. */
        INVALID_API_KEY,
        /** The Bearer token is unknown, expired, or its client is no longer configured. */
        INVALID_TOKEN
    }

    private final Reason reason;

    public AuthenticationException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
