package org.openinfolink.engine;

/** Thrown out of a running job once it has been cancelled; carries why. */
public class JobCancelledException extends Exception {

    private static final long serialVersionUID = 1L;

    private final CancelReason reason;

    public JobCancelledException(CancelReason reason) {
        super(reason.name(), null, false, false);
        this.reason = reason;
    }

    public CancelReason reason() {
        return reason;
    }
}
