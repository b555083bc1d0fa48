package org.openinfolink.audit;

import java.util.List;

/**
 * Where audit entries are kept: the job store's {@code il_audit}, shared by every node. Times are
 * the store's clock, so the records of every node line up. Implementations are thread safe and
 * hold no connection between calls; each method fails with
 * {@link org.openinfolink.job.StoreUnavailableException} when the store cannot be used.
 */
public interface AuditStore {

    /** Adds entries that happen now, in one transaction: all of them or none. */
    void insert(List<AuditEntry> entries);

    /**
     * Adds entries that happened a while ago, in one transaction: each is stamped with the store's
     * clock now minus its age, so an entry written late (after an outage of the store) keeps the
     * time it happened. A store that cannot do so stamps them with the time of the insert.
     *
     * @param agesMillis how long before now each entry happened, in the order of {@code entries}
     * @throws IllegalArgumentException when the two lists differ in size
     */
    default void insert(List<AuditEntry> entries, List<Long> agesMillis) {
        if (entries.size() != agesMillis.size()) {
            throw new IllegalArgumentException(entries.size() + " entries but " + agesMillis.size() + " ages");
        }
        insert(entries);
    }

    /** The records a query selects, newest first. */
    List<AuditRecord> list(AuditQuery query);

    /**
     * Deletes the records older than {@code keepMillis} by the store's clock, {@code batchSize} per
     * transaction, never in one long transaction.
     *
     * @return how many records were deleted
     */
    int purge(long keepMillis, int batchSize);
}
