package org.openinfolink.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.logging.Logger;
import org.openinfolink.config.ConfigReader;
import org.openinfolink.config.ConfigurationException;
import org.openinfolink.engine.RequestRejectedException;
import org.openinfolink.engine.ScenarioParameters;
import org.openinfolink.scenario.App;
import org.openinfolink.scenario.ScenarioEntry;

/**
 * Reads and validates the {@code schedules:} of every app's {@code app.yaml} at start-up (CONTRACT
 * section 14). Cron expressions are Quartz's (seconds first), parsed by cron-utils. A schedule
 * that is invalid (bad cron, unknown or invalid scenario, bad parameters, unknown time zone or
 * misfire value) is reported with the file and the reason, is kept with that reason, and leaves
 * the app's other schedules working. Not thread safe; used once per start.
 */
public final class ScheduleLoader {

    /** The key of {@code app.yaml} that holds the schedules. */
    public static final String KEY = "schedules";

    static final Set<String> SCHEDULE_KEYS = Collections.unmodifiableSet(new LinkedHashSet<>(
            List.of("scenario", "cron", "timeZone", "parameters", "enabled", "misfire")));

    private static final Logger LOG = Logger.getLogger(ScheduleLoader.class.getName());
    private static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    private final Instant now;
    private final List<String> problems = new ArrayList<>();

    /** @param now when the server starts: a cron expression with no fire time after it is invalid */
    public ScheduleLoader(Instant now) {
        this.now = now;
    }

    /** Every problem found, as {@code <path>: schedules.<name>: <reason>}, in the order found. */
    public List<String> problems() {
        return Collections.unmodifiableList(problems);
    }

    /**
     * The schedules of every valid app, by app id, each app's in the order of its file. An app
     * whose {@code app.yaml} is invalid has none (its own problem is reported already).
     */
    public Map<String, List<ScheduleEntry>> load(Path home, Map<String, App> apps) {
        Map<String, List<ScheduleEntry>> schedules = new TreeMap<>();
        for (App app : apps.values()) {
            if (app.isValid()) {
                List<ScheduleEntry> entries = load(home.resolve("apps").resolve(app.id()).resolve("app.yaml"), app);
                if (!entries.isEmpty()) {
                    schedules.put(app.id(), entries);
                }
            }
        }
        return Collections.unmodifiableMap(schedules);
    }

    /** The schedules of one app, read from its {@code app.yaml}. */
    public List<ScheduleEntry> load(Path appFile, App app) {
        ConfigReader reader = new ConfigReader(appFile);
        JsonNode schedulesNode;
        try {
            schedulesNode = reader.mapping(reader.readMapping(), "", KEY);
        } catch (ConfigurationException e) {
            report(app, e.getMessage());
            return List.of();
        }
        List<ScheduleEntry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : schedulesNode.properties()) {
            String name = field.getKey();
            ScheduleEntry entry = read(app, name, field.getValue());
            if (!entry.isValid()) {
                report(app, appFile + ": " + KEY + "." + name + ": " + entry.invalidReason());
            }
            entries.add(entry);
        }
        return Collections.unmodifiableList(entries);
    }

    private void report(App app, String problem) {
        problems.add(problem);
        LOG.severe("A schedule of app '" + app.id() + "' is invalid: " + problem);
    }

    private ScheduleEntry read(App app, String name, JsonNode node) {
        String scenarioName = shown(node, "scenario");
        String cron = shown(node, "cron");
        String zoneText = shown(node, "timeZone");
        String timeZone = zoneText == null ? "UTC" : zoneText;
        try {
            if (!Schedule.NAME.matcher(name).matches()) {
                throw new Invalid("the name must be 1-111 characters of A-Z a-z 0-9 . _ : - (it begins each"
                        + " fire's job id)");
            }
            if (!node.isObject()) {
                throw new Invalid("must be a mapping with scenario and cron");
            }
            for (String key : (Iterable<String>) node::fieldNames) {
                if (!SCHEDULE_KEYS.contains(key)) {
                    throw new Invalid(key + ": unknown key; expected one of " + String.join(", ", SCHEDULE_KEYS));
                }
            }
            text(node, "scenario");
            text(node, "cron");
            text(node, "timeZone");
            ScenarioEntry scenario = scenario(app, scenarioName);
            ExecutionTime executionTime = executionTime(cron);
            ZoneId zone = zone(timeZone);
            SortedMap<String, String> parameters = parameters(node.path("parameters"));
            try {
                Map<String, JsonNode> values = new LinkedHashMap<>();
                node.path("parameters").properties().forEach(value -> values.put(value.getKey(), value.getValue()));
                ScenarioParameters.convert(scenario.scenario(), values);
            } catch (RequestRejectedException e) {
                throw new Invalid("parameters: " + e.getMessage());
            }
            boolean enabled = bool(node, "enabled");
            Misfire misfire = misfire(text(node, "misfire"));
            if (executionTime.nextExecution(ZonedDateTime.ofInstant(now, zone)).isEmpty()) {
                throw new Invalid("cron: '" + cron + "' has no fire time after " + now);
            }
            return ScheduleEntry.valid(new Schedule(app.id(), name, scenarioName, cron, zone,
                    Collections.unmodifiableSortedMap(parameters), enabled, misfire, executionTime));
        } catch (Invalid e) {
            return new ScheduleEntry(name, scenarioName, cron, timeZone, null, e.getMessage());
        }
    }

    private static ScenarioEntry scenario(App app, String scenarioName) {
        if (scenarioName == null) {
            throw new Invalid("scenario: is required");
        }
        ScenarioEntry scenario = app.scenario(scenarioName).orElseThrow(() ->
                new Invalid("scenario: unknown scenario '" + scenarioName + "' in app '" + app.id() + "'"));
        if (!scenario.isValid()) {
            throw new Invalid("scenario: scenario '" + scenarioName + "' is invalid: " + scenario.invalidReason());
        }
        return scenario;
    }

    /** Parses a Quartz expression with cron-utils; never by hand. */
    static ExecutionTime executionTime(String cron) {
        if (cron == null) {
            throw new Invalid("cron: is required, a Quartz cron expression with seconds first, e.g. \"0 0 2 * * ?\"");
        }
        try {
            return ExecutionTime.forCron(QUARTZ.parse(cron).validate());
        } catch (IllegalArgumentException e) {
            throw new Invalid("cron: '" + cron + "' is not a valid Quartz cron expression: " + e.getMessage());
        }
    }

    private static ZoneId zone(String timeZone) {
        try {
            return ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw new Invalid("timeZone: unknown time zone '" + timeZone + "'; use an IANA name such as"
                    + " Europe/Berlin, or UTC");
        }
    }

    private static SortedMap<String, String> parameters(JsonNode node) {
        SortedMap<String, String> parameters = new TreeMap<>();
        if (ConfigReader.isAbsent(node)) {
            return parameters;
        }
        if (!node.isObject()) {
            throw new Invalid("parameters: must be a mapping of parameter names to values");
        }
        for (Map.Entry<String, JsonNode> value : node.properties()) {
            if (value.getValue().isContainerNode()) {
                throw new Invalid("parameters." + value.getKey() + ": must be a single value");
            }
            if (!value.getValue().isNull()) {
                parameters.put(value.getKey(), value.getValue().asText());
            }
        }
        return parameters;
    }

    private static Misfire misfire(String text) {
        if (text == null) {
            return Misfire.RUN_ONCE;
        }
        return Misfire.byName(text).orElseThrow(() ->
                new Invalid("misfire: must be runOnce or skip, got '" + text + "'"));
    }

    private static boolean bool(JsonNode node, String key) {
        String text = text(node, key);
        if (text == null) {
            return true;
        }
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new Invalid(key + ": must be true or false, got '" + text + "'");
    }

    /** A value as it is listed for an invalid schedule: its text when it is one, else null. */
    private static String shown(JsonNode parent, String key) {
        JsonNode node = parent.path(key);
        return ConfigReader.isAbsent(node) || !node.isValueNode() ? null : node.asText();
    }

    private static String text(JsonNode parent, String key) {
        JsonNode node = parent.path(key);
        if (ConfigReader.isAbsent(node)) {
            return null;
        }
        if (!node.isValueNode()) {
            throw new Invalid(key + ": must be a single value");
        }
        return node.asText();
    }

    /** Why a schedule is invalid; caught per schedule, so the others still load. */
    private static final class Invalid extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Invalid(String reason) {
            super(reason, null, false, false);
        }
    }
}
