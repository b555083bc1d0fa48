package org.openinfolink.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * An audit entry as the store keeps it. Immutable.
 *
 * @param seq   the store's sequence number: larger is newer; the paging cursor of {@link AuditQuery}
 * @param at    when it happened, by the store's clock
 * @param entry what happened
 */
public record AuditRecord(long seq, Instant at, AuditEntry entry) {

    public AuditRecord {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(entry, "entry");
    }
}
