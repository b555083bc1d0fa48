package org.openinfolink.engine;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * What the engine knows of the job it runs: identity, start, deadline, cancellation and where to
 * report. One per job; used by the job's thread, except {@link #cancellation()}, which other
 * threads use to stop it.
 *
 * @param jobId        the job's id
 * @param appId        its app
 * @param scenarioName the scenario it runs, or null for a direct operation
 * @param startedAt    when it started
 * @param deadline     when it times out
 * @param cancellation its cancellation state
 * @param listener     where steps, progress and results are reported
 */
public record JobExecution(String jobId, String appId, String scenarioName, Instant startedAt, Instant deadline,
                           Cancellation cancellation, ExecutionListener listener) {

    /** The built-in {@code now}: the job's start, ISO-8601 UTC with milliseconds. */
    public String now() {
        return DateTimeFormatter.ISO_INSTANT.format(startedAt.truncatedTo(ChronoUnit.MILLIS));
    }

    /** Whole seconds left before the deadline, at least 1. */
    public int secondsLeft(Instant now) {
        long millis = Duration.between(now, deadline).toMillis();
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (millis + 999) / 1000));
    }
}
