package org.openinfolink.job;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/** {@link JobEvents#all}: every event to each listener, in order. Immutable and thread safe. */
final class JobEventsFanOut implements JobEvents {

    private static final Logger LOG = Logger.getLogger(JobEventsFanOut.class.getName());

    private final List<JobEvents> listeners;

    JobEventsFanOut(List<JobEvents> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void submitted(JobRecord job) {
        tell(listener -> listener.submitted(job));
    }

    @Override
    public void claimed(JobRecord job) {
        tell(listener -> listener.claimed(job));
    }

    @Override
    public void stopRequested(JobRecord job) {
        tell(listener -> listener.stopRequested(job));
    }

    @Override
    public void ended(JobRecord job, JobState state, String message, Duration ranFor) {
        tell(listener -> listener.ended(job, state, message, ranFor));
    }

    private void tell(Consumer<JobEvents> event) {
        for (JobEvents listener : listeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "A job event listener failed: " + listener.getClass().getSimpleName(), e);
            }
        }
    }
}
