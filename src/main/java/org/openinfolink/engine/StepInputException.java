package org.openinfolink.engine;

/**
 * A step that cannot run as its scenario and request say (a table name that is no identifier
 * after substitution, a source that is not available, a nested scenario's parameter of the wrong
 * type). Its message is written for the job's message and trace, on purpose. A JDK exception
 * (IllegalArgumentException, IllegalStateException) reaching a step is never taken as such a
 * message: it is an internal error, logged with its stack trace under a reference.
 */
public final class StepInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StepInputException(String message) {
        super(message, null, false, false);
    }
}
