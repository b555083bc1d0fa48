package org.openinfolink.job;

import java.time.Instant;
import java.util.Set;

/**
 * Which jobs a listing wants, newest first. Immutable.
 *
 * @param appIds        the apps whose jobs are listed; null for every app
 * @param states        the states included; empty for all
 * @param scenario      only jobs of this scenario, or null
 * @param submittedFrom only jobs submitted at or after this time, or null
 * @param submittedTo   only jobs submitted before this time, or null
 * @param beforeSeq     only jobs older than this {@link JobRecord#seq()} (the paging cursor), or null
 * @param limit         the most jobs returned
 */
public record JobQuery(Set<String> appIds, Set<JobState> states, String scenario, Instant submittedFrom,
                       Instant submittedTo, Long beforeSeq, int limit) {

    /** A query with no time range. */
    public JobQuery(Set<String> appIds, Set<JobState> states, String scenario, Long beforeSeq, int limit) {
        this(appIds, states, scenario, null, null, beforeSeq, limit);
    }
}
