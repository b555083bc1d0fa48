package org.openinfolink.engine;

/** Why a job was cancelled; the first reason given wins. */
public enum CancelReason {
    /** A client called stopJob: the job ends {@code stopped}. */
    STOP_REQUESTED,
    /** The job ran past its timeout: it ends {@code completedWithError}. */
    TIMED_OUT,
    /** The server is stopping: the job ends {@code stopped}, or is queued again if it may be rerun. */
    SHUTDOWN,
    /**
     * Another node declared this node dead and resolved its jobs: the job ends here without a
     * word to the store, which no longer counts it as this node's.
     */
    NODE_LOST
}
