package org.openinfolink.job;

import org.openinfolink.engine.JobCancelledException;
import org.openinfolink.engine.JobExecution;
import org.openinfolink.engine.StepFailedException;

/** What a job runs, given its execution context; runs on a job thread. */
@FunctionalInterface
public interface JobWork {

    void run(JobExecution execution) throws StepFailedException, JobCancelledException;
}
