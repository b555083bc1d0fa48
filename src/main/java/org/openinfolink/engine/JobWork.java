package org.openinfolink.engine;

/** What a job runs, given its execution context; runs on a job thread. */
@FunctionalInterface
public interface JobWork {

    void run(JobExecution execution) throws StepFailedException, JobCancelledException;
}
