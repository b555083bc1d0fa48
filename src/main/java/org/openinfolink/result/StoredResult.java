package org.openinfolink.result;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.openinfolink.sql.ColumnInfo;

/**
 * A finished result set of a job: its name, columns and row count in memory, its records (a JSON
 * array) in a {@link Spool}. Immutable once built; {@link #discard()} frees the spool when the job
 * is forgotten.
 *
 * @param name    the result set's name, or null
 * @param columns the columns in order
 * @param rows    the number of records
 * @param records the records as one JSON array
 */
public record StoredResult(String name, List<ColumnInfo> columns, long rows, Spool records) {

    /** A new stream over the records' JSON array; the caller closes it. */
    public InputStream openRecords() throws IOException {
        return records.open();
    }

    public void discard() {
        records.delete();
    }
}
