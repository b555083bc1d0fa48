package org.openinfolink.job;

import java.util.Objects;

/**
 * The registry will not accept or find a job: the id is taken, the queue (or the client's share of
 * it) is full, the scenario is busy, the server is stopping, or there is no such job. The message is for the client; the API layer maps the
 * {@link Reason} to its error code.
 */
public final class JobRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the registry refused. */
    public enum Reason {
        DUPLICATE_JOB_ID,
        QUEUE_FULL,
        SCENARIO_BUSY,
        SHUTTING_DOWN,
        NOT_FOUND
    }

    private final Reason reason;

    public JobRefusedException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = Objects.requireNonNull(reason);
    }

    public Reason reason() {
        return reason;
    }
}
