package org.openinfolink.job;

import java.io.IOException;

/**
 * The store refused a job's result set because the job is no longer the run that writes it: it
 * ended, or another node resolved it (and may run it again) while this one still ran it.
 */
public final class RunEndedException extends IOException {

    public RunEndedException(JobRecord run) {
        super("Job " + run.jobId() + " of app " + run.appId() + " is no longer run by node " + run.nodeId()
                + " (attempt " + run.attempt() + "): its result set is not kept.");
    }
}
