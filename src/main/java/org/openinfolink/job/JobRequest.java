package org.openinfolink.job;

import java.time.Duration;

/**
 * A validated request to start a job. Immutable.
 *
 * @param appId        the app the job runs in
 * @param jobId        the caller's id for the job, or null to generate one
 * @param clientName   the client that asked, for logs
 * @param scenarioName the scenario run, or null for a direct operation
 * @param opName       the operation requested
 * @param fingerprint  what makes two requests the same (operation and parameters), for retries
 * @param timeout      how long the job may run
 * @param work         what the job does
 */
public record JobRequest(String appId, String jobId, String clientName, String scenarioName, String opName,
                         String fingerprint, Duration timeout, JobWork work) {
}
