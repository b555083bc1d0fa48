package org.openinfolink.schedule;

/**
 * A schedule of {@code app.yaml} as loaded: either a valid {@link Schedule}, or the reason it is
 * invalid. An invalid schedule stays listed with its reason and never fires. Immutable.
 *
 * @param name          the schedule's name
 * @param scenario      the scenario it names, or null when it could not be read
 * @param cron          its cron expression as written, or null
 * @param timeZone      its time zone as written (default {@code UTC}), or null
 * @param schedule      the schedule, or null when invalid
 * @param invalidReason why it is invalid, e.g. {@code unknown scenario 'Mian'}, or null
 */
public record ScheduleEntry(String name, String scenario, String cron, String timeZone, Schedule schedule,
                            String invalidReason) {

    public static ScheduleEntry valid(Schedule schedule) {
        return new ScheduleEntry(schedule.name(), schedule.scenario(), schedule.cron(), schedule.timeZone().getId(),
                schedule, null);
    }

    public boolean isValid() {
        return schedule != null;
    }
}
