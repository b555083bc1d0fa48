package org.openinfolink.scenario;

/**
 * An operation whose parameters are unusable. The message is the reason alone, e.g.
 * {@code query is required}; callers add where (file, step) it was found.
 */
public class InvalidOperationException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidOperationException(String reason) {
        super(reason, null, false, false);
    }
}
