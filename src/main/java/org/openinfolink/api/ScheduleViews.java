package org.openinfolink.api;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.openinfolink.schedule.Schedule;
import org.openinfolink.schedule.ScheduleEntry;
import org.openinfolink.schedule.ScheduleStore;
import org.openinfolink.schedule.Scheduler;

/** Writes an app's schedules as {@code getSchedules.jsp} answers them. Stateless. */
final class ScheduleViews {

    private ScheduleViews() {
    }

    /**
     * {@code "schedules": [...]}: each schedule with its scenario, cron, time zone, enabled,
     * misfire, parameters, last fire (time and job id, when there was one) and next fire time
     * (while enabled); an invalid one with {@code "invalid": "<reason>"} and what could be read.
     */
    static void writeSchedules(JsonGenerator json, List<ScheduleEntry> entries, ScheduleStore.Snapshot snapshot,
                               String appId) throws IOException {
        json.writeArrayFieldStart("schedules");
        for (ScheduleEntry entry : entries) {
            json.writeStartObject();
            json.writeStringField("name", entry.name());
            json.writeStringField("scenario", entry.scenario());
            json.writeStringField("cron", entry.cron());
            json.writeStringField("timeZone", entry.timeZone());
            Schedule schedule = entry.schedule();
            if (schedule == null) {
                json.writeStringField("invalid", entry.invalidReason());
                json.writeEndObject();
                continue;
            }
            json.writeBooleanField("enabled", schedule.enabled());
            json.writeStringField("misfire", schedule.misfire().configName());
            json.writeObjectFieldStart("parameters");
            for (Map.Entry<String, String> parameter : schedule.parameters().entrySet()) {
                json.writeStringField(parameter.getKey(), parameter.getValue());
            }
            json.writeEndObject();
            ScheduleStore.State state = snapshot.states().get(new ScheduleStore.Key(appId, schedule.name()));
            if (state != null && state.lastFireAt() != null) {
                JobViews.writeInstant(json, "lastFireAt", state.lastFireAt());
                json.writeStringField("lastJobId", state.lastJobId());
            }
            Instant next = Scheduler.nextFire(schedule, state, snapshot.now()).orElse(null);
            JobViews.writeInstant(json, "nextFireAt", next);
            json.writeEndObject();
        }
        json.writeEndArray();
    }
}
