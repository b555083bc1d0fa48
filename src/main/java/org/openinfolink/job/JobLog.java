package org.openinfolink.job;

import java.time.Duration;
import java.util.logging.Logger;

/**
 * The job log: one INFO line per finished job (what it ran, for which client, its status and how
 * long it ran); a job's submission and claim are FINE, so a busy server logs one line per job,
 * not two. Stop requests are INFO (someone acted). Never a key or parameter value.
 */
public final class JobLog implements JobEvents {

    private static final Logger LOG = Logger.getLogger(JobLog.class.getName());

    private final String nodeId;

    public JobLog(String nodeId) {
        this.nodeId = nodeId;
    }

    @Override
    public void submitted(JobRecord job) {
        LOG.fine(() -> "Job " + job.jobId() + " of app " + job.appId() + " (" + describe(job.request()) + ") "
                + (job.state() == JobState.RUNNING ? "started" : "queued") + " for " + job.request().clientName());
    }

    @Override
    public void claimed(JobRecord job) {
        LOG.fine(() -> "Job " + job.jobId() + " of app " + job.appId() + " claimed by node " + nodeId);
    }

    @Override
    public void stopRequested(JobRecord job) {
        LOG.info(() -> "Stop of job " + job.jobId() + " of app " + job.appId() + " requested");
    }

    @Override
    public void ended(JobRecord job, JobState state, String message, Duration ranFor) {
        String oneLine = message == null ? null : message.replaceAll("\\s*\\R\\s*", " ");
        String outcome = state == null ? oneLine : state.stateName() + (oneLine == null ? "" : ": " + oneLine);
        LOG.info(() -> "Job " + job.jobId() + " of app " + job.appId() + " ended " + outcome + " in "
                + ranFor.toMillis() + " ms (" + describe(job.request()) + ", client " + job.request().clientName()
                + ", node " + nodeId + ")");
    }

    private static String describe(JobRequest request) {
        return request.scenarioName() != null ? "scenario " + request.scenarioName() : request.opName();
    }
}
