package org.openinfolink.schedule;

import java.time.Instant;
import java.util.Map;

/**
 * Where the cluster keeps how far each schedule got: one row per schedule, shared by every node,
 * so a restarted node knows the last fire (for misfires) and two nodes never both move a schedule
 * on. Times come from the store's clock. Implementations are thread safe; every method may throw
 * {@link org.openinfolink.job.StoreUnavailableException}.
 */
public interface ScheduleStore {

    /** Identifies a schedule across the cluster. */
    record Key(String appId, String name) {
    }

    /**
     * How far a schedule got.
     *
     * @param handledUntil the latest fire time dealt with (started, or missed and skipped); at first
     *                     the time the cluster first saw the schedule
     * @param lastFireAt   the fire time of the latest fire started, or null
     * @param lastJobId    that fire's job id, or null
     */
    record State(Instant handledUntil, Instant lastFireAt, String lastJobId) {
    }

    /** The store's clock and every schedule's state, read together. */
    record Snapshot(Instant now, Map<Key, State> states) {
    }

    Snapshot snapshot();

    /**
     * Adds a schedule the cluster has not seen, handled until the store's clock now (fires before
     * it were never due); does nothing when a row exists, whoever added it.
     */
    void addIfAbsent(Key key);

    /**
     * Moves a schedule on, if no other node did since {@code expected} was read.
     *
     * @param lastFireAt null to keep the last fire as it is (nothing was started)
     * @param lastJobId  null with {@code lastFireAt}
     * @return whether this call moved it (false: another node was first)
     */
    boolean advance(Key key, Instant expected, Instant handledUntil, Instant lastFireAt, String lastJobId);
}
