package org.openinfolink.job;

import org.openinfolink.scenario.Concurrency;

/**
 * What a client asked for, as data: everything needed to store a job and, on any node, to run it.
 * Immutable.
 *
 * @param appId              the app the job runs in
 * @param jobId              the caller's id for the job, or null to generate one
 * @param clientName         who asked (a client's name), for logs and the audit
 * @param scenarioName       the scenario run, or null for a direct operation
 * @param opName             the operation requested
 * @param operation          the operation as canonical JSON (object keys sorted): two requests are
 *                           the same, for retries, when these are equal
 * @param timeoutSeconds     how long the job may run
 * @param rerunIfInterrupted whether the job is queued again when its node ends under it
 * @param concurrency        the scenario's limit on its jobs running at once, or null for none
 */
public record JobRequest(String appId, String jobId, String clientName, String scenarioName, String opName,
                         String operation, int timeoutSeconds, boolean rerunIfInterrupted,
                         Concurrency concurrency) {

    /** A request without a concurrency limit. */
    public JobRequest(String appId, String jobId, String clientName, String scenarioName, String opName,
                      String operation, int timeoutSeconds, boolean rerunIfInterrupted) {
        this(appId, jobId, clientName, scenarioName, opName, operation, timeoutSeconds, rerunIfInterrupted, null);
    }

    /** The same request under another job id. */
    public JobRequest withJobId(String newJobId) {
        return new JobRequest(appId, newJobId, clientName, scenarioName, opName, operation, timeoutSeconds,
                rerunIfInterrupted, concurrency);
    }
}
