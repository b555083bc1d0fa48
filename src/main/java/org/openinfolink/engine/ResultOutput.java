package org.openinfolink.engine;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where the records of one result set go while the cursor is read. Used by one thread: write the
 * JSON array to {@link #records()}, then call {@link #complete} (the set joins the job's results)
 * or {@link #discard} (it never does). Never holds the whole set in memory.
 */
public interface ResultOutput {

    /** The stream the records' JSON array is written to; the engine does not close it. */
    OutputStream records();

    /** Ends the set: every byte written is kept and the set joins the job's results. */
    void complete(long rows) throws IOException;

    /** Drops what was written; safe to call after a failure of any other method. */
    void discard();
}
