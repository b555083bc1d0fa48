package org.openinfolink.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Next fire times, computed by cron-utils, across daylight saving changes; and what one scheduler
 * tick starts: on-time fires, one catch-up run or none for missed ones, nothing when disabled.
 */
class ScheduleFireTimesTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final Duration THRESHOLD = Scheduler.MISFIRE_THRESHOLD;

    private static Schedule schedule(String cron, ZoneId zone, boolean enabled, Misfire misfire) {
        return new Schedule("7", "s", "Main", cron, zone, Collections.unmodifiableSortedMap(new TreeMap<>()), enabled,
                misfire, ScheduleLoader.executionTime(cron));
    }

    private static List<Instant> fires(Schedule schedule, Instant after, int count) {
        List<Instant> fires = new ArrayList<>();
        Instant cursor = after;
        for (int i = 0; i < count; i++) {
            cursor = schedule.nextFireAfter(cursor).orElseThrow();
            fires.add(cursor);
        }
        return fires;
    }

    private static Instant berlin(String localDateTime) {
        return ZonedDateTime.of(java.time.LocalDateTime.parse(localDateTime), BERLIN).toInstant();
    }

    @Test
    void springForwardSkipsTheDayWhoseFireTimeDoesNotExist() {
        // 2027-03-28: clocks go from 02:00 to 03:00 in Berlin, so 02:30 does not exist that day
        Schedule schedule = schedule("0 30 2 * * ?", BERLIN, true, Misfire.RUN_ONCE);
        assertEquals(List.of(
                        Instant.parse("2027-03-26T01:30:00Z"),
                        Instant.parse("2027-03-27T01:30:00Z"),   // 02:30 +01:00
                        Instant.parse("2027-03-29T00:30:00Z"),   // 02:30 +02:00, the 28th skipped
                        Instant.parse("2027-03-30T00:30:00Z")),
                fires(schedule, berlin("2027-03-25T12:00:00"), 4));
    }

    @Test
    void fallBackFiresOnceAtTheFirstOfTheRepeatedTimes() {
        // 2027-10-31: clocks go from 03:00 back to 02:00, so 02:30 happens at +02:00 and again at +01:00
        Schedule schedule = schedule("0 30 2 * * ?", BERLIN, true, Misfire.RUN_ONCE);
        assertEquals(List.of(
                        Instant.parse("2027-10-30T00:30:00Z"),   // 02:30 +02:00
                        Instant.parse("2027-10-31T00:30:00Z"),   // 02:30 +02:00, the first of the two
                        Instant.parse("2027-11-01T01:30:00Z"),   // 02:30 +01:00
                        Instant.parse("2027-11-02T01:30:00Z")),
                fires(schedule, berlin("2027-10-29T12:00:00"), 4));
    }

    @Test
    void aTickCountsFromTheLastFireSoTheRepeatedHourFiresOnce() {
        Schedule schedule = schedule("0 30 2 * * ?", BERLIN, true, Misfire.RUN_ONCE);
        Instant firstOccurrence = Instant.parse("2027-10-31T00:30:00Z");
        // a tick at the second 02:30 (+01:00), the first one handled an hour before
        Scheduler.Plan plan = Scheduler.plan(schedule, firstOccurrence, Instant.parse("2027-10-31T01:30:00.400Z"),
                THRESHOLD);
        assertEquals(List.of(), plan.toStart());
        assertNull(plan.handledUntil());
        assertEquals(Instant.parse("2027-11-01T01:30:00Z"), Scheduler.nextFire(schedule,
                new ScheduleStore.State(firstOccurrence, firstOccurrence, "s-20271031T003000Z"),
                Instant.parse("2027-10-31T01:00:00Z")).orElseThrow());
    }

    @Test
    void everyTwoSecondsInUtc() {
        Schedule schedule = schedule("*/2 * * * * ?", ZoneId.of("UTC"), true, Misfire.RUN_ONCE);
        assertEquals(List.of(Instant.parse("2027-01-15T10:00:02Z"), Instant.parse("2027-01-15T10:00:04Z")),
                fires(schedule, Instant.parse("2027-01-15T10:00:00.500Z"), 2));
    }

    @Test
    void aTickStartsTheFiresDueOnTime() {
        Schedule schedule = schedule("*/2 * * * * ?", ZoneId.of("UTC"), true, Misfire.SKIP);
        Scheduler.Plan plan = Scheduler.plan(schedule, Instant.parse("2027-01-15T10:00:00Z"),
                Instant.parse("2027-01-15T10:00:04.300Z"), THRESHOLD);
        assertEquals(List.of(Instant.parse("2027-01-15T10:00:02Z"), Instant.parse("2027-01-15T10:00:04Z")),
                plan.toStart());
        assertEquals(Instant.parse("2027-01-15T10:00:04Z"), plan.handledUntil());
        assertEquals(0, plan.missed());

        Scheduler.Plan nothing = Scheduler.plan(schedule, Instant.parse("2027-01-15T10:00:04Z"),
                Instant.parse("2027-01-15T10:00:05.900Z"), THRESHOLD);
        assertEquals(Scheduler.Plan.NOTHING_DUE, nothing);
    }

    @Test
    void missedFiresGetOneCatchUpRunWithRunOnce() {
        Schedule schedule = schedule("*/2 * * * * ?", ZoneId.of("UTC"), true, Misfire.RUN_ONCE);
        // handled until 10:00:00, then no node ran until 10:01:00.2
        Scheduler.Plan plan = Scheduler.plan(schedule, Instant.parse("2027-01-15T10:00:00Z"),
                Instant.parse("2027-01-15T10:01:00.200Z"), THRESHOLD);
        assertEquals(List.of(Instant.parse("2027-01-15T10:00:02Z"),     // the catch-up: the first fire missed
                Instant.parse("2027-01-15T10:00:56Z"), Instant.parse("2027-01-15T10:00:58Z"),
                Instant.parse("2027-01-15T10:01:00Z")), plan.toStart());
        assertEquals(27, plan.missed());
        assertEquals(Instant.parse("2027-01-15T10:01:00Z"), plan.handledUntil());
    }

    @Test
    void missedFiresGetNoRunWithSkip() {
        Schedule schedule = schedule("0 0 2 * * ?", BERLIN, true, Misfire.SKIP);
        // down from before the fire of the 15th until 09:00 of the 17th: two nightly fires missed
        Scheduler.Plan plan = Scheduler.plan(schedule, Instant.parse("2027-01-14T01:00:00Z"),
                Instant.parse("2027-01-17T08:00:00Z"), THRESHOLD);
        assertEquals(List.of(), plan.toStart());
        assertEquals(3, plan.missed());
        assertEquals(Instant.parse("2027-01-17T01:00:00Z"), plan.handledUntil());

        Schedule runOnce = schedule("0 0 2 * * ?", BERLIN, true, Misfire.RUN_ONCE);
        assertEquals(List.of(Instant.parse("2027-01-15T01:00:00Z")), Scheduler.plan(runOnce,
                Instant.parse("2027-01-14T01:00:00Z"), Instant.parse("2027-01-17T08:00:00Z"), THRESHOLD).toStart());
    }

    @Test
    void aDisabledScheduleIsMovedOnWithoutStartingAnything() {
        Schedule schedule = schedule("*/2 * * * * ?", ZoneId.of("UTC"), false, Misfire.RUN_ONCE);
        Scheduler.Plan plan = Scheduler.plan(schedule, Instant.parse("2027-01-15T10:00:00Z"),
                Instant.parse("2027-01-15T10:01:00.200Z"), THRESHOLD);
        assertEquals(List.of(), plan.toStart());
        assertEquals(Instant.parse("2027-01-15T10:01:00Z"), plan.handledUntil());
        assertTrue(Scheduler.nextFire(schedule, null, Instant.parse("2027-01-15T10:01:00Z")).isEmpty());
    }

    @Test
    void aLongDowntimeOfAFrequentScheduleIsSkippedOverQuickly() {
        Schedule schedule = schedule("* * * * * ?", ZoneId.of("UTC"), true, Misfire.RUN_ONCE);
        long started = System.nanoTime();
        Scheduler.Plan plan = Scheduler.plan(schedule, Instant.parse("2027-01-01T00:00:00Z"),
                Instant.parse("2027-01-15T00:00:00.500Z"), THRESHOLD);
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 20, "took too long");
        assertEquals(Instant.parse("2027-01-01T00:00:01Z"), plan.toStart().get(0));
        assertEquals(List.of(Instant.parse("2027-01-14T23:59:56Z"), Instant.parse("2027-01-14T23:59:57Z"),
                        Instant.parse("2027-01-14T23:59:58Z"), Instant.parse("2027-01-14T23:59:59Z"),
                        Instant.parse("2027-01-15T00:00:00Z")),
                plan.toStart().subList(1, plan.toStart().size()));
        assertEquals(Instant.parse("2027-01-15T00:00:00Z"), plan.handledUntil());
    }
}
