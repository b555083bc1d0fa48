package org.openinfolink.job;

/**
 * The life of a job. The API's {@code status} folds every unfinished state into {@code running}
 * (CONTRACT section 2.2); {@code state} shows them apart.
 */
public enum JobState {
    QUEUED("queued", "running"),
    RUNNING("running", "running"),
    STOPPING("stopping", "running"),
    COMPLETED("completed", "completed"),
    COMPLETED_WITH_ERROR("completedWithError", "completedWithError"),
    STOPPED("stopped", "stopped");

    private final String stateName;
    private final String statusName;

    JobState(String stateName, String statusName) {
        this.stateName = stateName;
        this.statusName = statusName;
    }

    /** The extension field {@code state}. */
    public String stateName() {
        return stateName;
    }

    /** The original's {@code status}: running, completed, completedWithError or stopped. */
    public String statusName() {
        return statusName;
    }

    /** The state whose {@link #stateName()} is {@code name}. */
    public static JobState ofStateName(String name) {
        for (JobState state : values()) {
            if (state.stateName.equals(name)) {
                return state;
            }
        }
        throw new IllegalArgumentException("no job state '" + name + "'");
    }

    public boolean isFinished() {
        return this == COMPLETED || this == COMPLETED_WITH_ERROR || this == STOPPED;
    }
}
