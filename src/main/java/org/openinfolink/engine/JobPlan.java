package org.openinfolink.engine;

import java.time.Duration;
import org.openinfolink.scenario.Concurrency;

/**
 * A job request turned into work: what it runs and the limits it runs under. Immutable.
 *
 * @param scenarioName       the scenario run, or null for a direct operation
 * @param opName             the operation requested
 * @param timeout            how long the job may run
 * @param rerunIfInterrupted whether the scenario asks to be queued again when its node ends
 * @param concurrency        the scenario's limit on its jobs running at once, or null for none
 * @param work               what the job does, on the job's thread
 */
public record JobPlan(String scenarioName, String opName, Duration timeout, boolean rerunIfInterrupted,
                      Concurrency concurrency, JobWork work) {

    /** A plan without a concurrency limit. */
    public JobPlan(String scenarioName, String opName, Duration timeout, boolean rerunIfInterrupted, JobWork work) {
        this(scenarioName, opName, timeout, rerunIfInterrupted, null, work);
    }
}
