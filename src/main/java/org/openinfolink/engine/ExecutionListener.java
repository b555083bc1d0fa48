package org.openinfolink.engine;

import java.util.List;
import org.openinfolink.sql.ColumnInfo;

/**
 * Receives what a running job does, in order, from the thread running it. Implementations make it
 * visible to other threads and nodes (status polls), typically by writing it to the job store.
 */
public interface ExecutionListener {

    /**
     * A top-level step starts.
     *
     * @param step  1-based number
     * @param steps how many top-level steps the job has
     * @param title the step's title
     */
    void stepStarted(int step, int steps, String title);

    /** A step (at any depth) ended. */
    void stepFinished(StepTrace trace);

    /**
     * A result set starts: its records (one JSON array) are written to the returned output as
     * they are read from the cursor.
     *
     * @param name    the result set's name, or null
     * @param columns its columns in order
     */
    ResultOutput newResult(String name, List<ColumnInfo> columns);
}
