package org.openinfolink.engine;

/**
 * A step that failed; the message is what the job reports, e.g.
 * {@code Step 2 (Transform: companies) failed: relation "x" does not exist}.
 */
public class StepFailedException extends Exception {

    private static final long serialVersionUID = 1L;

    public StepFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
