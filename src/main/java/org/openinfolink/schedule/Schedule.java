package org.openinfolink.schedule;

import com.cronutils.model.time.ExecutionTime;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.regex.Pattern;
import org.openinfolink.json.Json;
import org.openinfolink.scenario.OperationType;

/**
 * A valid schedule of an app: a scenario run with fixed parameters on a Quartz cron expression in
 * a time zone. Fire times come from cron-utils, which handles the time zone and its daylight
 * saving changes: a fire time that does not exist on a spring-forward day is skipped, and one that
 * happens twice on a fall-back day fires once, at its first occurrence. Immutable and thread safe.
 *
 * @param appId         the app it belongs to
 * @param name          its name in {@code app.yaml}; the start of every fire's job id
 * @param scenario      the scenario each fire runs
 * @param cron          the cron expression as written
 * @param timeZone      the zone the expression is read in
 * @param parameters    the scenario's parameters, as written (strings), by name
 * @param enabled       whether it fires
 * @param misfire       what happens to fires missed while no node ran
 * @param executionTime cron-utils' fire times of {@code cron}
 */
public record Schedule(String appId, String name, String scenario, String cron, ZoneId timeZone,
                       SortedMap<String, String> parameters, boolean enabled, Misfire misfire,
                       ExecutionTime executionTime) {

    /** A schedule name: it begins each fire's job id, which may be 128 characters long. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]{1,111}");

    /** How the client name of a fire's job begins: {@code schedule:<name>}. */
    public static final String AUTHOR_PREFIX = "schedule:";

    private static final DateTimeFormatter FIRE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /**
     * The first fire time strictly after {@code instant}, a whole second; empty when the expression
     * never fires again. (cron-utils keeps the fraction of a second it is given: fire times are
     * counted from the whole second, which changes nothing since they fall on whole seconds.)
     */
    public Optional<Instant> nextFireAfter(Instant instant) {
        ZonedDateTime from = ZonedDateTime.ofInstant(instant.truncatedTo(ChronoUnit.SECONDS), timeZone);
        return executionTime.nextExecution(from).map(next -> next.toInstant().truncatedTo(ChronoUnit.SECONDS));
    }

    /** The job id of the fire at {@code fireTime}: {@code <name>-<yyyyMMdd'T'HHmmss'Z'>} in UTC. */
    public String jobId(Instant fireTime) {
        return name + "-" + FIRE_TIME.format(fireTime);
    }

    /** Who a fire's job is submitted by, for logs and the audit. */
    public String author() {
        return AUTHOR_PREFIX + name;
    }

    /** The operation each fire runs, as a client would send it, object keys sorted. */
    public JsonNode operation() {
        ObjectNode operation = Json.mapper().createObjectNode();
        operation.put("opName", OperationType.RUN_SCENARIO.opName());
        ObjectNode opParams = operation.putObject("opParams");
        ObjectNode values = opParams.putObject("parameters");
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            values.put(parameter.getKey(), parameter.getValue());
        }
        opParams.put("scenario", scenario);
        return operation;
    }
}
