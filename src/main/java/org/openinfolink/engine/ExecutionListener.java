package org.openinfolink.engine;

import org.openinfolink.result.StoredResult;

/**
 * Receives what a running job does, in order, from the thread running it. Implementations make it
 * visible to other threads (status polls).
 */
public interface ExecutionListener {

    /**
     * A top-level step starts.
     *
     * @param step  1-based number
     * @param steps how many top-level steps the job has
     * @param title the step's title
     */
    void stepStarted(int step, int steps, String title);

    /** A step (at any depth) ended. */
    void stepFinished(StepTrace trace);

    /** A result set is complete and belongs to the job's results. */
    void resultAdded(StoredResult result);
}
