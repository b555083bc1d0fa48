package org.openinfolink.engine;

import java.time.Instant;
import java.util.List;

/**
 * What one finished step did, for the job's trace. Immutable.
 *
 * @param label      the step's position: {@code 2}, or {@code 2.1} for step 1 of a scenario run by step 2
 * @param title      the step's title
 * @param opName     its operation
 * @param outcome    {@code completed}, {@code failed} or {@code stopped}
 * @param startedAt  when it started
 * @param finishedAt when it ended
 * @param rows       rows read into a result set or written into a table; null when not applicable
 * @param statements for scripts: the rows each statement changed, in order; else empty
 * @param message    why it failed, or null
 */
public record StepTrace(String label, String title, String opName, String outcome, Instant startedAt,
                        Instant finishedAt, Long rows, List<StatementTrace> statements, String message) {

    /**
     * One statement of a script.
     *
     * @param number      1-based position in the script
     * @param sql         the statement's start, for recognising it
     * @param rowsChanged the update count, or -1 when the statement reports none
     */
    public record StatementTrace(int number, String sql, long rowsChanged) {
    }
}
