package org.openinfolink.job;

import java.time.Duration;
import java.util.List;

/**
 * What happens to jobs on this node, for whoever watches: the log, and later metrics, the audit
 * trail and the console. The registry calls these methods on its own threads after the store has
 * recorded the change; implementations must be thread safe and quick, and an exception they throw
 * is logged and otherwise ignored.
 */
public interface JobEvents {

    /** Events nobody listens to. */
    JobEvents NONE = new JobEvents() {
    };

    /**
     * Events told to each listener in turn; one that throws is logged and the others still hear the
     * event.
     */
    static JobEvents all(List<JobEvents> listeners) {
        return new JobEventsFanOut(listeners);
    }

    /** A new job was stored; {@code job.state()} says whether it runs here already or waits queued. */
    default void submitted(JobRecord job) {
    }

    /** This node started running a job it claimed from the queue. */
    default void claimed(JobRecord job) {
    }

    /** A stop of the job was requested through this node. */
    default void stopRequested(JobRecord job) {
    }

    /**
     * A job that ran here ended.
     *
     * @param state   its final state, or null when it did not finish here: it was queued again
     *                (interrupted and allowed to rerun) or given up (this node was declared dead)
     * @param message its message, or why it did not finish here
     * @param ranFor  how long it ran on this node
     */
    default void ended(JobRecord job, JobState state, String message, Duration ranFor) {
    }
}
