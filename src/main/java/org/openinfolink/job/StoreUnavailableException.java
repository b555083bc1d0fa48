package org.openinfolink.job;

/**
 * The job store cannot be reached or failed to answer. Carries a message fit for a client (no URL,
 * no credentials); the cause goes to the server log only.
 */
public final class StoreUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
