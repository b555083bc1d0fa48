package org.openinfolink.job;

/** The answer of a stop request, with the original's strings (CONTRACT section 2.3). */
public enum StopOutcome {
    ALREADY_COMPLETED("already completed"),
    ALREADY_BEING_STOPPED("already being stopped"),
    STOP_STARTED("stop started");

    private final String text;

    StopOutcome(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}
