package org.openinfolink.job;

import java.util.Set;

/**
 * Which jobs a listing wants, newest first. Immutable.
 *
 * @param appIds    the apps whose jobs are listed; null for every app
 * @param states    the states included; empty for all
 * @param scenario  only jobs of this scenario, or null
 * @param beforeSeq only jobs older than this {@link JobRecord#seq()} (the paging cursor), or null
 * @param limit     the most jobs returned
 */
public record JobQuery(Set<String> appIds, Set<JobState> states, String scenario, Long beforeSeq, int limit) {
}
