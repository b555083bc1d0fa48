package org.openinfolink.job;

/**
 * A complete result set of a job, as kept in the store. Its records are read with
 * {@link JobStore#openRecords}. Immutable.
 *
 * @param number     1-based position among the job's result sets
 * @param name       the result set's name, or null
 * @param schemaJson the {@code schema} array, as JSON
 * @param rows       the number of records
 */
public record ResultInfo(int number, String name, String schemaJson, long rows) {
}
