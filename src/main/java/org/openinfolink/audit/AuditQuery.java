package org.openinfolink.audit;

import java.time.Instant;

/**
 * Which audit records to list: newest first (by {@link AuditRecord#seq()}), every filter null for
 * "any", at most {@code limit}. Filters compare exactly (case and all). Immutable.
 *
 * <p>Paging is by key: pass the {@code seq} of the last record of a page as {@code beforeSeq} to get
 * the next, older page. The cursor stays valid while records are added, on every node.
 *
 * @param action    only this action
 * @param who       only this client or user name
 * @param appId     only this app
 * @param jobId     only this job
 * @param outcome   only this outcome, e.g. {@code OK} or {@code INVALID_API_KEY}
 * @param from      only records at or after this instant
 * @param to        only records before this instant
 * @param beforeSeq only records older than this sequence number
 * @param limit     how many records at most, from 1 to {@value #MAX_LIMIT}
 */
public record AuditQuery(AuditAction action, String who, String appId, String jobId, String outcome,
                         Instant from, Instant to, Long beforeSeq, int limit) {

    /** The largest page a query may ask for. */
    public static final int MAX_LIMIT = 10_000;

    /** @throws IllegalArgumentException when {@code limit} is out of range */
    public AuditQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be from 1 to " + MAX_LIMIT + ", got " + limit);
        }
    }

    /** The newest {@code limit} records, unfiltered. */
    public static AuditQuery newest(int limit) {
        return new AuditQuery(null, null, null, null, null, null, null, null, limit);
    }
}
